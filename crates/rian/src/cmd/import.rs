use super::open;
use crate::cli::{ImportArgs, StoreArgs};
use rian_core::Result;
use rian_core::model::{ForumKind, IsoDate};
use rian_core::pipeline::{ImportRequest, import_document};
use rian_core::store::OpenMode;

pub async fn run(args: &StoreArgs, import: &ImportArgs) -> Result<()> {
    // Check every argument before the store is touched.
    let kind: ForumKind = import.kind.parse()?;
    let date = import
        .date
        .as_deref()
        .map(str::parse::<IsoDate>)
        .transpose()?;
    let store = open(args, OpenMode::Existing).await?;
    let imported = import_document(
        &store,
        &ImportRequest {
            path: &import.file,
            site: &import.site,
            forum_id: import.forum,
            kind,
            date,
        },
    )
    .await?;
    let site = store.site(imported.site_id).await?;
    if !imported.new_document {
        println!(
            "นำเข้าไว้แล้ว ไม่มีการเปลี่ยนแปลง / already imported, nothing changed: เอกสาร document #{} (เวที forum #{})",
            imported.document_id, imported.forum_id
        );
        store.close().await;
        return Ok(());
    }
    let forum_note = if imported.forum_created {
        "เวทีใหม่ / new forum"
    } else {
        "เวทีเดิม / existing forum"
    };
    println!(
        "นำเข้าแล้ว / imported: เอกสาร document #{} → {forum_note} #{} ({} {}); ข้อเท็จจริง facts {}, รหัสที่เสนอ suggested codings {}",
        imported.document_id,
        imported.forum_id,
        site.display_name(),
        site.province_display(),
        imported.facts,
        imported.suggestions
    );
    store.close().await;
    Ok(())
}
