use super::{location, open};
use crate::cli::StoreArgs;
use rian_core::Result;
use rian_core::demo::load_demo;
use rian_core::store::OpenMode;

pub async fn run(args: &StoreArgs, demo: bool) -> Result<()> {
    let location = location(args)?;
    let store = open(args, OpenMode::Create).await?;
    println!("ฐานข้อมูลพร้อมใช้ / study store ready: {location}");
    if demo {
        let load = load_demo(&store).await?;
        if load.created {
            println!("โหลดการศึกษาตัวอย่างแล้ว / demo study loaded");
        } else {
            println!("มีการศึกษาตัวอย่างอยู่แล้ว / demo study already present");
        }
    }
    store.close().await;
    Ok(())
}
