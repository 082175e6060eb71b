use super::open;
use crate::cli::StoreArgs;
use crate::table;
use rian_core::Result;
use rian_core::model::Lang;
use rian_core::store::OpenMode;

pub async fn run(args: &StoreArgs, site: Option<&str>, json: bool) -> Result<()> {
    let store = open(args, OpenMode::Existing).await?;
    let site_id = match site {
        Some(name) => Some(store.find_site(name).await?.id),
        None => None,
    };
    let forums = store.forums(site_id).await?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&forums).map_err(std::io::Error::other)?
        );
    } else if forums.is_empty() {
        println!("ยังไม่มีเวที / no forums yet");
    } else {
        let mut rows = Vec::new();
        for f in &forums {
            let site = store.site(f.site_id).await?;
            rows.push(vec![
                f.id.to_string(),
                f.date
                    .map(|d| d.display(Lang::Th))
                    .unwrap_or_else(|| "-".into()),
                site.display_name(),
                f.kind.label(Lang::Th).to_string(),
                f.status.label(Lang::Th).to_string(),
                f.participants
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "-".into()),
                store.document_count(f.id).await?.to_string(),
                f.title.clone().unwrap_or_default(),
            ]);
        }
        print!(
            "{}",
            table::render(
                &[
                    "id",
                    "วันที่/date",
                    "พื้นที่/site",
                    "ประเภท/kind",
                    "สถานะ/status",
                    "ผู้เข้าร่วม/people",
                    "เอกสาร/docs",
                    "ชื่อ/title"
                ],
                &rows
            )
        );
    }
    store.close().await;
    Ok(())
}
