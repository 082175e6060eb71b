//! `rian report`: the data-return report of a site, or the study synthesis, written as a
//! PDF (Typst, Sarabun embedded) or a standalone HTML file.

use super::open;
use super::synthesis::{study, write_file};
use crate::cli::{ReportArgs, StoreArgs};
use rian_core::model::{IsoDate, Lang};
use rian_core::report::{ReportOptions, site_report, study_report};
use rian_core::store::OpenMode;
use rian_core::{Error, Result};

pub async fn run(args: &StoreArgs, r: &ReportArgs) -> Result<()> {
    let date = match &r.date {
        Some(d) => Some(IsoDate::parse(d).ok_or_else(|| Error::InvalidDate(d.clone()))?),
        None => None,
    };
    let options = ReportOptions {
        lang: if r.lang == "en" { Lang::En } else { Lang::Th },
        personal: r.personal,
        thai_digits: r.thai_digits,
        date,
    };
    let store = open(args, OpenMode::Existing).await?;
    let bytes = match (&r.site, &r.study) {
        (Some(site), _) => {
            let site = store.find_site(site).await?;
            let report = site_report(&store, site.id, &options).await?;
            match r.format.as_str() {
                "html" => rian_web::site_html(&report)?.into_bytes(),
                _ => rian_report::site_pdf(&report)?,
            }
        }
        (None, slug) => {
            let slug = slug.as_deref().filter(|s| !s.is_empty());
            let study = study(&store, slug).await?;
            let report = study_report(&store, study.id, &options).await?;
            match r.format.as_str() {
                "html" => rian_web::study_html(&report)?.into_bytes(),
                _ => rian_report::study_pdf(&report)?,
            }
        }
    };
    write_file(&r.output, &bytes)
}
