//! `rian export`, `rian import-project`, `rian import-sites`, `rian import-forums`,
//! `rian form` and `rian import-submissions`: a study to and from other tools (REFI-QDA,
//! spreadsheets, Kobo/ODK), saying on standard error what each way leaves out.

use super::open;
use super::synthesis::{study, write_file};
use crate::cli::{ExportArgs, FormArgs, ImportProjectArgs, StoreArgs, TableImportArgs};
use rian_core::exchange::schedule::{self, SitesFor};
use rian_core::exchange::{self, ExportOptions, Notice, field_form, qdpx, refi, sheets, tables};
use rian_core::model::Study;
use rian_core::store::OpenMode;
use rian_core::{Error, Result};
use std::path::Path;

fn tell(notices: &[Notice]) {
    for n in notices {
        eprintln!("  หมายเหตุ / note: {} / {}", n.th, n.en);
    }
}

pub async fn export(args: &StoreArgs, e: &ExportArgs) -> Result<()> {
    let store = open(args, OpenMode::Existing).await?;
    let study = study(&store, e.study.as_deref()).await?;
    if e.format == "xlsx" || e.format == "csv" {
        let tables = tables::study_tables(&store, study.id, e.personal).await?;
        if e.format == "xlsx" {
            return write_file(&e.output, &tables::workbook(&tables)?);
        }
        // CSV: one file a table, in the folder named (made if needed).
        std::fs::create_dir_all(&e.output).map_err(|source| Error::WriteFile {
            path: e.output.clone(),
            source,
        })?;
        for t in &tables {
            let path = e.output.join(format!("{}.csv", t.name));
            write_file(&path, rian_core::export::csv(&t.rows).as_bytes())?;
        }
        return Ok(());
    }
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
    let bytes = read(&i.file)?;
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

fn read(file: &Path) -> Result<Vec<u8>> {
    std::fs::read(file).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::FileNotFound(file.to_path_buf()),
        _ => Error::ReadFile {
            path: file.to_path_buf(),
            source,
        },
    })
}

fn sheet(file: &Path) -> Result<sheets::Sheet> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    sheets::read_sheet(&name, &read(file)?)
}

pub async fn import_sites(args: &StoreArgs, t: &TableImportArgs) -> Result<()> {
    let sheet = sheet(&t.file)?;
    let store = open(args, OpenMode::Create).await?;
    let into = match store.study_by_slug(&t.study).await? {
        Some(s) => SitesFor::Study(s.id),
        None => SitesFor::NewStudy(Study {
            id: 0,
            slug: t.study.clone(),
            name_th: t.name.clone().unwrap_or_else(|| t.study.clone()),
            name_en: None,
            fiscal_year_be: t.year.unwrap_or_else(exchange::current_year_be),
            framework: "five_part".into(),
        }),
    };
    let new = matches!(into, SitesFor::NewStudy(_));
    let (_, done) = schedule::import_sites(&store, into, &sheet).await?;
    if new {
        println!("สร้างการศึกษา {} / created study {}", t.study, t.study);
    }
    println!("เพิ่ม {} พื้นที่ / added {} sites", done.added, done.added);
    tell(&done.notices);
    Ok(())
}

pub async fn import_forums(args: &StoreArgs, t: &TableImportArgs) -> Result<()> {
    let sheet = sheet(&t.file)?;
    let store = open(args, OpenMode::Existing).await?;
    let study = study(&store, Some(&t.study)).await?;
    let done = schedule::import_forums(&store, study.id, &sheet).await?;
    println!("เพิ่ม {} เวที / added {} forums", done.added, done.added);
    tell(&done.notices);
    Ok(())
}

pub async fn form(args: &StoreArgs, f: &FormArgs) -> Result<()> {
    let store = open(args, OpenMode::Existing).await?;
    let study = study(&store, f.study.as_deref()).await?;
    let sites = store.study_sites(study.id).await?;
    write_file(&f.output, &field_form::form_xlsx(&study, &sites)?)?;
    eprintln!(
        "อัปโหลดไฟล์นี้ใน KoboToolbox หรือ ODK Central แล้วนำข้อมูลที่ส่งออก (.xlsx หรือ .csv) กลับมาด้วย rian import-submissions / upload this file to KoboToolbox or ODK Central, then bring its export (.xlsx or .csv) back with rian import-submissions"
    );
    Ok(())
}

pub async fn import_submissions(args: &StoreArgs, t: &TableImportArgs) -> Result<()> {
    let sheet = sheet(&t.file)?;
    let store = open(args, OpenMode::Existing).await?;
    let study = study(&store, Some(&t.study)).await?;
    let done = field_form::import_submissions(&store, study.id, &sheet).await?;
    println!(
        "เวทีใหม่ {} เวทีที่เติมข้อมูล {} บันทึกที่นำเข้า {} / {} forums added, {} completed, {} notes imported",
        done.forums_added,
        done.forums_completed,
        done.documents,
        done.forums_added,
        done.forums_completed,
        done.documents
    );
    tell(&done.notices);
    Ok(())
}
