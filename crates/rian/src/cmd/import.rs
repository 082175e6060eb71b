use super::open;
use crate::cli::{ImportArgs, StoreArgs};
use rian_core::model::{ForumKind, IsoDate};
use rian_core::pipeline::{ImportRequest, Imported, SiteRef, import_document};
use rian_core::store::{OpenMode, Store};
use rian_core::{Error, Result};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Imports each file in its own transaction: a refused file writes nothing and the others
/// go on; the command fails (exit 1) if any file was refused.
pub async fn run(args: &StoreArgs, import: &ImportArgs) -> Result<()> {
    // Check every argument before the store is touched.
    let kind: ForumKind = import.kind.parse()?;
    let date = import
        .date
        .as_deref()
        .map(str::parse::<IsoDate>)
        .transpose()?;
    let store = open(args, OpenMode::Existing).await?;
    let total = import.files.len();
    let mut refused = 0;
    for (i, file) in import.files.iter().enumerate() {
        if total > 1 {
            progress(i, total, file);
        }
        let request = ImportRequest {
            path: file,
            site: SiteRef::Named(&import.site),
            forum_id: import.forum,
            kind,
            date,
        };
        match import_document(&store, &request).await {
            Ok(imported) => report(&store, file, &imported).await?,
            // A store that fails is not the file's fault: stop.
            Err(e) if !e.is_refusal() || total == 1 => return Err(e),
            Err(e) => {
                clear_progress(total);
                eprintln!("rian: {e}");
                refused += 1;
            }
        }
    }
    if total > 1 {
        progress(total, total, Path::new(""));
        clear_progress(total);
    }
    store.close().await;
    match refused {
        0 => Ok(()),
        n => Err(Error::SomeRefused { refused: n, total }),
    }
}

async fn report(store: &Store, file: &Path, imported: &Imported) -> Result<()> {
    clear_progress(2);
    if !imported.new_document {
        println!(
            "{}: นำเข้าไว้แล้ว ไม่มีการเปลี่ยนแปลง / already imported, nothing changed (document #{}, forum #{})",
            file.display(),
            imported.document_id,
            imported.forum_id
        );
        return Ok(());
    }
    let site = store.site(imported.site_id).await?;
    let forum_note = if imported.forum_created {
        "เวทีใหม่ / new forum"
    } else {
        "เวทีเดิม / existing forum"
    };
    println!(
        "{}: นำเข้าแล้ว / imported: เอกสาร document #{} → {forum_note} #{} ({} {}); ข้อเท็จจริง facts {}, รหัสที่เสนอ suggested codings {}",
        file.display(),
        imported.document_id,
        imported.forum_id,
        site.display_name(),
        site.province_display(),
        imported.facts,
        imported.suggestions
    );
    Ok(())
}

/// A one-line progress bar on a terminal; nothing when stderr is a file or a pipe.
fn progress(done: usize, total: usize, current: &Path) {
    let mut err = std::io::stderr();
    if !err.is_terminal() {
        return;
    }
    const WIDTH: usize = 30;
    let filled = WIDTH * done / total.max(1);
    let _ = write!(
        err,
        "\r[{}{}] {done}/{total} {}\x1b[K",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled),
        current.display()
    );
    let _ = err.flush();
}

fn clear_progress(total: usize) {
    let mut err = std::io::stderr();
    if total > 1 && err.is_terminal() {
        let _ = write!(err, "\r\x1b[K");
    }
}
