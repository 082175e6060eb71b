use rian_core::extract::{Extraction, Part, extract};
use rian_core::model::Lang;
use rian_core::{Error, Result};
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct Output<'a> {
    url: &'a str,
    #[serde(flatten)]
    extraction: &'a Extraction,
}

pub fn run(file: &Path, json: bool) -> Result<()> {
    let x = extract(&read_text(file)?);
    if json {
        let out = Output {
            url: &file.to_string_lossy(),
            extraction: &x,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(std::io::Error::other)?
        );
    } else {
        print!("{}", summary(&x));
    }
    Ok(())
}

/// A text file, decoded and normalized; an empty one is refused.
pub fn read_text(file: &Path) -> Result<String> {
    let bytes = std::fs::read(file).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::FileNotFound(file.to_path_buf()),
        _ => Error::ReadFile {
            path: file.to_path_buf(),
            source,
        },
    })?;
    let text = rian_core::thai::normalize_bytes(&bytes)
        .map_err(|reason| Error::Undecodable {
            path: file.to_path_buf(),
            reason,
        })?
        .text;
    if text.trim().is_empty() {
        return Err(Error::EmptyDocument(file.to_path_buf()));
    }
    Ok(text)
}

/// The record as a person reads it, Thai first.
fn summary(x: &Extraction) -> String {
    let none = "— (ไม่พบ / not found)";
    let date = match (x.event_date, x.event_date_end) {
        (Some(a), Some(b)) => format!("{} – {}", a.display(Lang::Th), b.display(Lang::Th)),
        (Some(a), None) => a.display(Lang::Th),
        _ => none.to_string(),
    };
    let list = |v: &[String]| {
        if v.is_empty() {
            none.to_string()
        } else {
            v.join(", ")
        }
    };
    let mut out = String::new();
    if let Some(t) = &x.title {
        out += &format!("หัวข้อ / title: {t}\n");
    }
    out += &format!("วันที่จัดเวที / date: {date}\n");
    out += &format!(
        "ผู้เข้าร่วม / participants: {}\n",
        x.participants
            .map(|n| format!("{n} คน"))
            .unwrap_or_else(|| none.to_string())
    );
    out += &format!("สถานที่ / venue: {}\n", x.venue.as_deref().unwrap_or(none));
    out += &format!("จังหวัด / provinces: {}\n", list(&x.provinces));
    out += &format!("ตำบล / tambons: {}\n", list(&x.tambons));
    out += &format!("องค์กร / organizations ({}):\n", x.organizations.len());
    for o in &x.organizations {
        out += &format!("  - {o}\n");
    }
    for (i, l) in x.numbered_lists.iter().enumerate() {
        out += &format!(
            "รายการที่ {} / list {} ({} ข้อ / items):\n",
            i + 1,
            i + 1,
            l.len()
        );
        for (k, item) in l.iter().enumerate() {
            out += &format!("  {}) {item}\n", k + 1);
        }
    }
    out += &format!("ตัวเลข / figures ({}):\n", x.figures.len());
    for f in &x.figures {
        let value = serde_json::to_string(&f.value).unwrap_or_default();
        out += &format!("  - {value} {} — \"{}\"\n", f.unit, f.text);
    }
    out += "ประเด็นตามกรอบ / framework sections:\n";
    for part in [
        Part::Profile,
        Part::Projects,
        Part::Mechanisms,
        Part::Networks,
        Part::Potential,
        Part::Swot,
        Part::Traits,
    ] {
        let n = x.sections.iter().filter(|s| s.part == part).count();
        out += &format!("  {:<7} {n} ข้อความ / clauses\n", part.code_key());
    }
    out
}
