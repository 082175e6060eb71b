//! `rian init`, `rian migrate` and `rian copy`: making, upgrading and moving stores.

use super::{location, open};
use crate::cli::{CopyArgs, StoreArgs};
use rian_core::Result;
use rian_core::demo::load_demo;
use rian_core::store::{Location, OpenMode, Store, copy_study};

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

pub async fn migrate(args: &StoreArgs) -> Result<()> {
    let location = location(args)?;
    let store = open(args, OpenMode::Existing).await?;
    let version = store.schema_version().await?;
    println!(
        "ฐานข้อมูลเป็นรุ่นล่าสุดแล้ว (โครงสร้างรุ่น {version}) / the store is up to date (schema {version}): {location}"
    );
    store.close().await;
    Ok(())
}

pub async fn copy(args: &StoreArgs, c: &CopyArgs) -> Result<()> {
    let from_location = Location::resolve(Some(&c.from), &args.data_dir)?;
    let to_location = Location::resolve(Some(&c.to), &args.data_dir)?;
    let from = Store::open_with(&from_location, OpenMode::Existing).await?;
    let slug = match &c.study {
        Some(slug) => slug.clone(),
        None => super::synthesis::study(&from, None).await?.slug,
    };
    let to = Store::open(&to_location).await?;
    let done = copy_study(&from, &to, &slug).await?;
    println!(
        "คัดลอก {slug} ไปที่ {to_location} แล้ว: {} พื้นที่ {} เวที {} เอกสาร {} รหัส {} การลงรหัส {} บันทึก / copied {slug} to {to_location}: {} sites, {} forums, {} documents, {} codes, {} codings, {} memos",
        done.sites,
        done.forums,
        done.documents,
        done.codes,
        done.codings,
        done.memos,
        done.sites,
        done.forums,
        done.documents,
        done.codes,
        done.codings,
        done.memos,
    );
    eprintln!(
        "  หมายเหตุ / note: ประวัติการแก้ไขไม่ได้คัดลอก (ย้อนกลับได้เฉพาะในฐานข้อมูลเดิม) / the activity log stays in the source store (undo works there only)"
    );
    from.close().await;
    to.close().await;
    Ok(())
}

pub async fn backup(args: &StoreArgs, output: &std::path::Path) -> Result<()> {
    let store = open(args, OpenMode::Existing).await?;
    let made = store.backup(output).await;
    store.close().await;
    let made = made?;
    println!(
        "สำรองข้อมูลแล้ว / backed up: {} ({:.1} MB)",
        made.path.display(),
        made.bytes as f64 / 1_048_576.0
    );
    Ok(())
}

pub async fn restore(args: &StoreArgs, file: &std::path::Path) -> Result<()> {
    let location = location(args)?;
    let done = rian_core::store::restore(&location, file).await?;
    println!(
        "กู้คืนจาก {} แล้ว ({} การศึกษา) / restored from {} ({} studies): {location}",
        file.display(),
        done.studies,
        file.display(),
        done.studies
    );
    if let Some(previous) = done.previous {
        println!(
            "ข้อมูลก่อนกู้คืนเก็บไว้ที่ / the store as it was is kept at: {}",
            previous.display()
        );
    }
    Ok(())
}

pub async fn check(args: &StoreArgs, json: bool) -> Result<()> {
    let location = location(args)?;
    let store = open(args, OpenMode::Existing).await?;
    let problems = store.check().await;
    store.close().await;
    let problems = problems?;
    if json {
        println!(
            "{}",
            serde_json::json!({"ok": problems.is_empty(), "problems": problems})
        );
    } else if problems.is_empty() {
        println!("ข้อมูลถูกต้องครบถ้วน / the store is sound: {location}");
    }
    if problems.is_empty() {
        return Ok(());
    }
    if !json {
        for p in &problems[1..] {
            eprintln!("rian: {p}");
        }
    }
    Err(rian_core::Error::Corrupt(problems[0].clone()))
}
