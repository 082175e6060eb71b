//! `rian matrix`, `rian network`, `rian map`: the cross-site synthesis as tables and files.

use super::open;
use crate::cli::{AgreementArgs, MapArgs, MatrixArgs, NetworkArgs, StoreArgs};
use crate::table;
use rian_core::analyze::matrix::{StudyRecord, matrix as build};
use rian_core::analyze::{Scope, framework_codes, map as sites_map, network as ties};
use rian_core::model::*;
use rian_core::search::FilterText;
use rian_core::store::{OpenMode, Store};
use rian_core::{Error, Result};
use std::collections::HashMap;
use std::path::Path;

/// The study named, or the only one.
pub(super) async fn study(store: &Store, slug: Option<&str>) -> Result<Study> {
    let studies = store.studies().await?;
    match slug {
        Some(slug) => studies
            .into_iter()
            .find(|s| s.slug == slug)
            .ok_or_else(|| Error::Invalid {
                field: "study",
                th: format!("ไม่พบการศึกษา \"{slug}\""),
                en: format!("no study named \"{slug}\""),
            }),
        None if studies.len() == 1 => Ok(studies.into_iter().next().expect("one study")),
        None => Err(Error::Invalid {
            field: "study",
            th: "มีหลายการศึกษา (หรือไม่มีเลย) ระบุด้วย --study".into(),
            en: "the store holds more than one study (or none): name one with --study".into(),
        }),
    }
}

/// Writes a file whole, or not at all: a temporary file beside it, renamed into place.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.part",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("rian")
    ));
    if let Err(e) = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path)) {
        // Nothing half-written stays behind.
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::WriteFile {
            path: path.to_path_buf(),
            source: e,
        });
    }
    eprintln!("เขียน {} แล้ว / wrote {}", path.display(), path.display());
    Ok(())
}

/// Standard output; a reader that went away (`| head`) ends the output quietly (main.rs).
fn out(text: &str) -> Result<()> {
    use std::io::Write;
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}

pub async fn matrix(args: &StoreArgs, m: &MatrixArgs) -> Result<()> {
    let store = open(args, OpenMode::Existing).await?;
    let study = study(&store, m.study.as_deref()).await?;
    let sites = store.study_sites(study.id).await?;
    let communities = store.study_communities(study.id).await?;
    let forums = store.study_forums(study.id).await?;
    let codes = store.codes(study.id).await?;
    let passages = store.coded_passages(study.id).await?;
    let rows_of: MatrixRows = m.rows.parse()?;
    let chosen: Vec<i64> = if m.codes.is_empty() {
        framework_codes(&codes)
    } else {
        m.codes
            .iter()
            .map(|key| {
                codes
                    .iter()
                    .find(|c| c.key == *key)
                    .map(|c| c.id)
                    .ok_or_else(|| Error::Invalid {
                        field: "code",
                        th: format!("ไม่พบรหัส \"{key}\" ในการศึกษานี้"),
                        en: format!("no code \"{key}\" in this study"),
                    })
            })
            .collect::<Result<_>>()?
    };
    // Provinces and years read as search reads them (จ./จังหวัด, either era).
    let filter = FilterText {
        provinces: m.province.clone(),
        years: m.year.iter().map(|y| y.to_string()).collect(),
        ..FilterText::default()
    }
    .resolve(&store)
    .await?;
    let scope = Scope {
        provinces: filter.provinces,
        years: filter.years,
        ..Scope::default()
    };
    let texts: HashMap<i64, String> = if rows_of == MatrixRows::Community {
        let ids: Vec<i64> = passages.iter().map(|p| p.coding_id).collect();
        store
            .quotes(&ids)
            .await?
            .into_iter()
            .map(|q| (q.coding_id, q.text))
            .collect()
    } else {
        HashMap::new()
    };
    let summaries = store.cell_summaries(study.id, rows_of).await?;
    let record = StudyRecord {
        sites: &sites,
        communities: &communities,
        forums: &forums,
        codes: &codes,
        passages: &passages,
    };
    let result = build(record, rows_of, &chosen, &scope, &summaries, &texts);
    let table_rows = result.table(Lang::Th);
    if let Some(path) = &m.csv {
        write_file(path, rian_core::export::csv(&table_rows).as_bytes())?;
    } else if let Some(path) = &m.xlsx {
        write_file(
            path,
            &rian_core::export::xlsx(&[("ตารางกรอบแนวคิด", &table_rows)])?,
        )?;
    } else {
        // On screen: counts only; summaries are for the files.
        let header: Vec<String> = std::iter::once(rows_of.label(Lang::Th).to_string())
            .chain(
                result
                    .columns
                    .iter()
                    .map(|c| format!("{} {}", c.key, c.name_th)),
            )
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let rows: Vec<Vec<String>> = result
            .rows
            .iter()
            .zip(&result.cells)
            .map(|(r, cells)| {
                std::iter::once(r.label.clone())
                    .chain(cells.iter().map(|c| c.count().to_string()))
                    .collect()
            })
            .collect();
        out(&table::render(&header, &rows))?;
    }
    store.close().await;
    Ok(())
}

pub async fn network(args: &StoreArgs, n: &NetworkArgs) -> Result<()> {
    let store = open(args, OpenMode::Existing).await?;
    let study = study(&store, n.study.as_deref()).await?;
    let sites = store.study_sites(study.id).await?;
    let actors = store.actors(study.id).await?;
    let all = store.study_ties(study.id).await?;
    if let Some(path) = &n.graphml {
        write_file(path, ties::graphml(&actors, &sites, &all).as_bytes())?;
    }
    if let Some(path) = &n.csv {
        write_file(
            path,
            rian_core::export::csv(&ties::ties_table(&actors, &sites, &all)).as_bytes(),
        )?;
    }
    if n.graphml.is_none() && n.csv.is_none() {
        let rows: Vec<Vec<String>> = ties::actor_reach(&actors, &all)
            .iter()
            .map(|r| {
                vec![
                    r.actor.name.clone(),
                    r.actor.kind.label(Lang::Th).to_string(),
                    r.sites.to_string(),
                    r.ties.to_string(),
                ]
            })
            .collect();
        out(&table::render(
            &["ภาคี/actor", "ประเภท/kind", "พื้นที่/sites", "ความสัมพันธ์/ties"],
            &rows,
        ))?;
    }
    store.close().await;
    Ok(())
}

pub async fn map(args: &StoreArgs, m: &MapArgs) -> Result<()> {
    let store = open(args, OpenMode::Existing).await?;
    let study = study(&store, m.study.as_deref()).await?;
    let geojson = sites_map::geojson(&sites_map::place_sites(
        &store.site_overviews(study.id).await?,
    ));
    match &m.geojson {
        Some(path) => write_file(path, geojson.as_bytes())?,
        None => out(&format!("{geojson}\n"))?,
    }
    store.close().await;
    Ok(())
}

pub async fn agreement(args: &StoreArgs, a: &AgreementArgs) -> Result<()> {
    let [first, second] = a.coders.as_slice() else {
        return Err(Error::Invalid {
            field: "coder",
            th: "ระบุผู้ลงรหัสสองคน: --coder ก --coder ข".into(),
            en: "name two coders: --coder A --coder B".into(),
        });
    };
    if first == second {
        return Err(Error::Invalid {
            field: "coder",
            th: "ผู้ลงรหัสสองคนต้องต่างกัน".into(),
            en: "the two coders must differ".into(),
        });
    }
    let store = open(args, OpenMode::Existing).await?;
    let study = study(&store, a.study.as_deref()).await?;
    let known = store.coders(study.id).await?;
    for name in [first, second] {
        if !known.iter().any(|(n, _)| n == name) {
            let names: Vec<&str> = known.iter().map(|(n, _)| n.as_str()).collect();
            return Err(Error::Invalid {
                field: "coder",
                th: format!("ไม่พบผู้ลงรหัส \"{name}\" (มี: {})", names.join(", ")),
                en: format!("no coder \"{name}\" (there are: {})", names.join(", ")),
            });
        }
    }
    let codes = store.codes(study.id).await?;
    let (documents, codings) = store.codings_by(study.id, [first, second]).await?;
    let found =
        rian_core::analyze::agreement::agreement(first, second, &documents, &codings, &codes);
    if a.json {
        let text = serde_json::to_string_pretty(&found).map_err(std::io::Error::other)?;
        return out(&format!("{text}\n"));
    }
    let figure =
        |v: Option<f64>, d: usize| v.map_or_else(|| "–".to_string(), |x| format!("{x:.d$}"));
    let only_first = format!("เฉพาะ/only {first}");
    let only_second = format!("เฉพาะ/only {second}");
    let header = [
        "รหัส/code",
        "ทั้งคู่/both",
        only_first.as_str(),
        only_second.as_str(),
        "ไม่ใส่/neither",
        "%",
        "kappa",
        "alpha",
    ];
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut line = |label: String, t: &rian_core::analyze::agreement::Table| {
        rows.push(vec![
            label,
            t.both.to_string(),
            t.only_a.to_string(),
            t.only_b.to_string(),
            t.neither.to_string(),
            figure(t.percent(), 1),
            figure(t.kappa(), 3),
            figure(t.alpha(), 3),
        ]);
    };
    for c in &found.codes {
        let label = codes
            .iter()
            .find(|k| k.id == c.code_id)
            .map_or_else(String::new, |k| format!("{} {}", k.key, k.name_th));
        line(label, &c.table);
    }
    line("ทุกรหัส/all codes".into(), &found.overall);
    out(&format!(
        "เอกสารที่ทั้งคู่ลงรหัส {} วลี {} / documents both coded: {}, clauses: {}\n{}",
        found.documents.len(),
        found.units.len(),
        found.documents.len(),
        found.units.len(),
        table::render(&header, &rows)
    ))
}
