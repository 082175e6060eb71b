//! `rian export` and `rian import-project`: a study to and from REFI-QDA (.qdpx, .qdc),
//! saying on standard error what each way leaves out.

use super::open;
use super::synthesis::{study, write_file};
use crate::cli::{ExportArgs, ImportProjectArgs, StoreArgs};
use rian_core::exchange::{self, ExportOptions, Notice, qdpx, refi};
use rian_core::store::OpenMode;
use rian_core::{Error, Result};

fn tell(notices: &[Notice]) {
    for n in notices {
        eprintln!("  หมายเหตุ / note: {} / {}", n.th, n.en);
    }
}

pub async fn export(args: &StoreArgs, e: &ExportArgs) -> Result<()> {
    let store = open(args, OpenMode::Existing).await?;
    let study = study(&store, e.study.as_deref()).await?;
    let exported = exchange::export_study(
        &store,
        study.id,
        ExportOptions {
            suggestions: e.suggestions,
        },
    )
    .await?;
    let bytes = match e.format.as_str() {
        "qdc" => refi::write_codebook(&exported.project.codes, exchange::ORIGIN).into_bytes(),
        _ => qdpx::pack(&exported.project)?,
    };
    write_file(&e.output, &bytes)?;
    if e.format == "qdpx" {
        eprintln!(
            "ส่งออก {} พื้นที่ {} เอกสาร {} การลงรหัส {} บันทึก / exported {} cases, {} sources, {} codings, {} notes",
            exported.project.cases.len(),
            exported.project.sources.len(),
            exported.codings,
            exported.memos,
            exported.project.cases.len(),
            exported.project.sources.len(),
            exported.codings,
            exported.memos,
        );
        tell(&exported.notices);
    }
    Ok(())
}

pub async fn import(args: &StoreArgs, i: &ImportProjectArgs) -> Result<()> {
    let bytes = std::fs::read(&i.file).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::FileNotFound(i.file.clone()),
        _ => Error::ReadFile {
            path: i.file.clone(),
            source,
        },
    })?;
    let extension = i
        .file
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase);
    let store = open(args, OpenMode::Existing).await?;
    match extension.as_deref() {
        Some("qdc") => {
            let study = study(&store, Some(&i.study)).await?;
            let (codebook, mut notices) = refi::read_codebook(&bytes)?;
            let added = exchange::import_codebook(
                &store,
                "rian import-project",
                study.id,
                &codebook,
                &mut notices,
            )
            .await?;
            println!(
                "เพิ่ม {added} รหัสในการศึกษา {} / added {added} codes to study {}",
                study.slug, study.slug
            );
            tell(&notices);
        }
        Some("qdpx") => {
            let (project, notices) = qdpx::unpack(&bytes)?;
            let done =
                exchange::import_project(&store, &project, &i.study, i.year, notices).await?;
            println!(
                "สร้างการศึกษา {}: {} รหัส {} พื้นที่ {} เวที {} เอกสาร {} การลงรหัส {} บันทึก / created study {}: {} codes, {} sites, {} forums, {} documents, {} codings, {} memos",
                done.slug,
                done.codes,
                done.sites,
                done.forums,
                done.documents,
                done.codings,
                done.memos,
                done.slug,
                done.codes,
                done.sites,
                done.forums,
                done.documents,
                done.codings,
                done.memos,
            );
            tell(&done.notices);
        }
        _ => {
            return Err(Error::Invalid {
                field: "file",
                th: format!("{}: ใช้ไฟล์ .qdpx หรือ .qdc", i.file.display()),
                en: format!("{}: give a .qdpx or .qdc file", i.file.display()),
            });
        }
    }
    Ok(())
}
