use super::open;
use crate::cli::StoreArgs;
use crate::table;
use rian_core::Result;
use rian_core::model::Lang;
use rian_core::store::OpenMode;

pub async fn run(args: &StoreArgs, json: bool) -> Result<()> {
    let store = open(args, OpenMode::Existing).await?;
    let mut overviews = Vec::new();
    for study in store.studies().await? {
        overviews.extend(store.site_overviews(study.id).await?);
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&overviews).map_err(std::io::Error::other)?
        );
    } else if overviews.is_empty() {
        println!("ยังไม่มีพื้นที่ / no sites yet (rian init --demo loads the demo study)");
    } else {
        let rows: Vec<Vec<String>> = overviews
            .iter()
            .map(|o| {
                vec![
                    o.site.admin_code.clone().unwrap_or_else(|| "-".into()),
                    o.site.display_name(),
                    o.site.district_th.clone().unwrap_or_default(),
                    o.site.province_th.clone(),
                    o.status.label(Lang::Th).to_string(),
                    o.forums.to_string(),
                ]
            })
            .collect();
        print!(
            "{}",
            table::render(
                &[
                    "รหัส/code",
                    "พื้นที่/site",
                    "อำเภอ/district",
                    "จังหวัด/province",
                    "สถานะ/status",
                    "เวที/forums"
                ],
                &rows
            )
        );
    }
    store.close().await;
    Ok(())
}
