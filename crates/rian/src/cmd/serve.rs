use super::{location, open};
use crate::cli::StoreArgs;
use rian_core::Result;
use rian_core::demo::load_demo;
use rian_core::store::OpenMode;
use std::net::SocketAddr;

pub async fn run(args: &StoreArgs, demo: bool, addr: SocketAddr, user: &str) -> Result<()> {
    let location = location(args)?;
    let store = open(args, OpenMode::Create).await?;
    if demo {
        load_demo(&store).await?;
    }
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    // The URL comes last, and a reader that stops reading (a script that waits for the
    // URL and then closes the pipe) does not stop the server.
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "rian: ฐานข้อมูล / store: {location}");
    let _ = writeln!(out, "rian: บันทึกการแก้ไขในชื่อ / changes logged as: {user}");
    let _ = writeln!(out, "rian: เปิดเวิร์กเบนช์ที่ / workbench at http://{bound}");
    let _ = out.flush();
    drop(out);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    rian_web::serve(listener, store.clone(), user, shutdown).await?;
    store.close().await;
    Ok(())
}
