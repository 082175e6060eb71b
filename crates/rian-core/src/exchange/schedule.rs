//! A study's sites and its forum schedule from the spreadsheets agencies keep: one row a
//! site (name, district, province, code) or one row a forum (site, kind, date, venue…).
//! Columns are found by their header, in Thai or English, in any order. Every row is read
//! and checked before anything is written; one bad row refuses the file, naming the row.
//! A site or forum the study already has is left as it is (a file imported twice adds
//! nothing).

use super::Notice;
use super::sheets::Sheet;
use crate::gazetteer::{Gazetteer, Level};
use crate::model::*;
use crate::store::Store;
use crate::thai::dates::{DateValue, find_dates};
use crate::{Error, Result};

/// Header words for each column rian reads, compared after trimming and lower-casing.
const SITE_NAME: &[&str] = &[
    "พื้นที่",
    "ชื่อพื้นที่",
    "ตำบล",
    "ตำบล/แขวง",
    "แขวง",
    "site",
    "name",
    "tambon",
    "subdistrict",
    "sub-district",
];
const DISTRICT: &[&str] = &[
    "อำเภอ",
    "เขต",
    "อำเภอ/เขต",
    "อำเภอหรือเขต",
    "district",
    "amphoe",
    "khet",
];
const PROVINCE: &[&str] = &["จังหวัด", "province", "changwat"];
const ADMIN_CODE: &[&str] = &["รหัสพื้นที่", "รหัส", "admin code", "code", "geocode"];
const LEVEL: &[&str] = &["ระดับ", "ระดับพื้นที่", "level"];
const LAT: &[&str] = &["ละติจูด", "lat", "latitude"];
const LON: &[&str] = &["ลองจิจูด", "lon", "lng", "longitude"];
const KIND: &[&str] = &[
    "ประเภทเวที",
    "ประเภท",
    "ชนิดเวที",
    "kind",
    "type",
    "forum kind",
];
const DATE: &[&str] = &["วันที่", "วันที่จัด", "วันที่จัดเวที", "date", "forum date"];
const DATE_END: &[&str] = &["ถึงวันที่", "วันที่สิ้นสุด", "วันสุดท้าย", "end date", "date end", "to"];
const TITLE: &[&str] = &["ชื่อเวที", "หัวข้อ", "title", "forum title"];
const VENUE: &[&str] = &["สถานที่", "สถานที่จัด", "venue", "place"];
const PARTICIPANTS: &[&str] = &["ผู้เข้าร่วม", "ผู้เข้าร่วม (คน)", "จำนวนผู้เข้าร่วม", "participants"];
const STATUS: &[&str] = &["สถานะ", "status"];

/// Where each wanted column is in a header.
struct Columns(Vec<String>);

impl Columns {
    fn new(header: Vec<String>) -> Columns {
        Columns(
            header
                .into_iter()
                .map(|h| h.trim().to_lowercase())
                .collect(),
        )
    }

    fn find(&self, names: &[&str]) -> Option<usize> {
        self.0.iter().position(|h| names.iter().any(|n| h == n))
    }
}

/// A row's cell in a column, trimmed; None if empty or absent.
fn cell(row: &[String], at: Option<usize>) -> Option<String> {
    at.and_then(|i| row.get(i))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
}

/// A name's cell (a site, a district, a title): refused past the longest name a record takes.
fn name_cell(row: &[String], at: Option<usize>, n: usize) -> Result<Option<String>> {
    let value = cell(row, at);
    let max = crate::edit::MAX_NAME_CHARS;
    match value {
        Some(v) if v.chars().count() > max => Err(row_error(
            n,
            format!("ชื่อยาว {} ตัวอักษร เกินกำหนด {max}", v.chars().count()),
            format!(
                "a name {} characters long, over the limit of {max}",
                v.chars().count()
            ),
        )),
        other => Ok(other),
    }
}

fn row_error(row: usize, th: impl std::fmt::Display, en: impl std::fmt::Display) -> Error {
    Error::Invalid {
        field: "row",
        th: format!("แถวที่ {row}: {th}"),
        en: format!("row {row}: {en}"),
    }
}

/// A date as people type it in a sheet: 2023-03-31, 2566-03-31 (BE), 31/03/2566,
/// 31 มีนาคม 2566, 31 มี.ค. 66. A day that does not exist (31 กุมภาพันธ์) is refused.
pub fn read_date(s: &str) -> Option<IsoDate> {
    let s = s.trim();
    if let Some((y, rest)) = s.split_once('-')
        && y.len() == 4
        && let Ok(year) = y.parse::<i32>()
        && year > 2400
    {
        let (m, d) = rest.split_once('-')?;
        return IsoDate::from_be(year, m.parse().ok()?, d.parse().ok()?);
    }
    if let Some(d) = IsoDate::parse(s) {
        return Some(d);
    }
    let found = find_dates(s);
    match found.as_slice() {
        [m] if m.range.len() + 2 >= s.len() => match m.value {
            DateValue::Day(d) => Some(d),
            _ => None,
        },
        _ => None,
    }
}

/// A site from its name and what else the row says, completed from the gazetteer: the
/// official code, level, district and province. A name found in several places needs the
/// district, the province or the code to tell them apart.
pub fn site_from_gazetteer(
    name: &str,
    district: Option<&str>,
    province: Option<&str>,
    code: Option<&str>,
) -> std::result::Result<Site, (String, String)> {
    let g = Gazetteer::builtin();
    let bare = strip_prefix(name);
    let province_unit = province.and_then(|p| g.province(p));
    let unit = match code.and_then(|c| g.by_code(c.trim())) {
        Some(u) => Some(u),
        None => {
            let district = district.map(strip_prefix);
            let found: Vec<_> = g
                .named(&bare)
                .filter(|u| matches!(u.level, Level::Subdistrict | Level::District))
                .filter(|u| {
                    province_unit.is_none_or(|p| g.province_of(u).is_some_and(|q| q.code == p.code))
                })
                .filter(|u| {
                    district.as_deref().is_none_or(|d| {
                        u.level == Level::District || g.parent(u).is_some_and(|p| p.name_th == d)
                    })
                })
                .collect();
            match found.as_slice() {
                [one] => Some(*one),
                [] => None,
                many => {
                    let places: Vec<String> = many
                        .iter()
                        .take(5)
                        .map(|u| {
                            let parent = g.parent(u).map(|p| p.name_th).unwrap_or_default();
                            let province = g.province_of(u).map(|p| p.name_th).unwrap_or_default();
                            format!("{} {parent} {province} ({})", u.name_th, u.code)
                        })
                        .collect();
                    return Err((
                        format!(
                            "\"{name}\" มีหลายแห่ง ระบุอำเภอ จังหวัด หรือรหัสพื้นที่: {}",
                            places.join(", ")
                        ),
                        format!(
                            "\"{name}\" names several places; give the district, province or code: {}",
                            places.join(", ")
                        ),
                    ));
                }
            }
        }
    };
    match unit {
        Some(u) => {
            let parent = g.parent(u).filter(|p| p.code != u.code);
            let subdistrict = u.level == Level::Subdistrict;
            Ok(Site {
                id: 0,
                study_id: 0,
                position: 0,
                name_th: u.name_th.to_string(),
                level: match (subdistrict, u.in_bangkok()) {
                    (true, true) => AdminLevel::Khwaeng,
                    (true, false) => AdminLevel::Tambon,
                    (false, true) => AdminLevel::Khet,
                    (false, false) => AdminLevel::Amphoe,
                },
                district_th: if subdistrict {
                    parent.map(|p| p.name_th.to_string())
                } else {
                    None
                },
                province_th: g
                    .province_of(u)
                    .map(|p| p.name_th.to_string())
                    .unwrap_or_default(),
                admin_code: Some(u.code.to_string()),
                lat: None,
                lon: None,
                fictional: false,
            })
        }
        // Not in the gazetteer: taken as written when the province is known.
        None => match province_unit {
            Some(p) => Ok(Site {
                id: 0,
                study_id: 0,
                position: 0,
                name_th: bare,
                level: AdminLevel::Tambon,
                district_th: district.map(strip_prefix),
                province_th: p.name_th.to_string(),
                admin_code: code.map(str::to_string),
                lat: None,
                lon: None,
                fictional: false,
            }),
            None => Err((
                format!("ไม่พบ \"{name}\" ในทะเบียนพื้นที่ ระบุจังหวัดด้วย"),
                format!("\"{name}\" is not in the gazetteer; give its province"),
            )),
        },
    }
}

/// A place name without its administrative prefix: ต.พระแท่น → พระแท่น.
pub(crate) fn strip_prefix(name: &str) -> String {
    crate::store::strip_admin_prefix(name.trim())
        .trim()
        .to_string()
}

/// What an import of sites or forums did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Scheduled {
    pub added: usize,
    pub unchanged: usize,
    pub notices: Vec<Notice>,
}

/// Reads the sites of a sheet, checking every row; nothing is written.
pub fn read_sites(sheet: &Sheet) -> Result<Vec<(usize, Site)>> {
    let cols = Columns::new(sheet.header());
    let name_at = cols.find(SITE_NAME).ok_or_else(|| Error::Invalid {
        field: "header",
        th: "ไม่พบคอลัมน์ชื่อพื้นที่ (เช่น \"พื้นที่\" หรือ \"ตำบล\") ในแถวหัวตาราง".into(),
        en: "no column for the site's name (such as \"site\") in the header row".into(),
    })?;
    let (district_at, province_at, code_at) = (
        cols.find(DISTRICT),
        cols.find(PROVINCE),
        cols.find(ADMIN_CODE),
    );
    let (level_at, lat_at, lon_at) = (cols.find(LEVEL), cols.find(LAT), cols.find(LON));
    let mut out = Vec::new();
    for (n, row) in sheet.body() {
        let Some(name) = name_cell(row, Some(name_at), *n)? else {
            return Err(row_error(*n, "ไม่มีชื่อพื้นที่", "the site's name is empty"));
        };
        let mut site = site_from_gazetteer(
            &name,
            name_cell(row, district_at, *n)?.as_deref(),
            name_cell(row, province_at, *n)?.as_deref(),
            name_cell(row, code_at, *n)?.as_deref(),
        )
        .map_err(|(th, en)| row_error(*n, th, en))?;
        if let Some(level) = cell(row, level_at) {
            site.level = AdminLevel::from_written(&level).ok_or_else(|| {
                row_error(
                    *n,
                    format!("ระดับพื้นที่ \"{level}\" ไม่รู้จัก"),
                    format!("unknown level \"{level}\""),
                )
            })?;
        }
        let coordinate = |at: Option<usize>,
                          range: std::ops::RangeInclusive<f64>,
                          what: &str|
         -> Result<Option<f64>> {
            match cell(row, at) {
                None => Ok(None),
                Some(v) => match v.parse::<f64>() {
                    Ok(x) if range.contains(&x) => Ok(Some(x)),
                    _ => Err(row_error(
                        *n,
                        format!("{what} \"{v}\" ไม่ถูกต้อง"),
                        format!("invalid {what} \"{v}\""),
                    )),
                },
            }
        };
        site.lat = coordinate(lat_at, -90.0..=90.0, "latitude")?;
        site.lon = coordinate(lon_at, -180.0..=180.0, "longitude")?;
        out.push((*n, site));
    }
    Ok(out)
}

/// The study sites go to: one the store has, or a new one made with them.
#[derive(Debug, Clone)]
pub enum SitesFor {
    Study(i64),
    /// A new study with the default codebook, written in the same transaction as its sites.
    NewStudy(Study),
}

/// Adds the sites of a sheet to a study: all, or none when a row is wrong. Returns the
/// study's id with what was done.
pub async fn import_sites(
    store: &Store,
    into: SitesFor,
    sheet: &Sheet,
) -> Result<(i64, Scheduled)> {
    let rows = read_sites(sheet)?;
    let mut tx = store.begin().await?;
    let (study_id, existing) = match into {
        SitesFor::Study(id) => (id, store.study_sites(id).await?),
        SitesFor::NewStudy(study) => {
            super::check_slug(&study.slug)?;
            (
                crate::pipeline::create_study(&mut tx, &study).await?,
                Vec::new(),
            )
        }
    };
    let mut position = existing.iter().map(|s| s.position + 1).max().unwrap_or(0);
    let mut done = Scheduled::default();
    let mut added: Vec<Site> = Vec::new();
    for (_, mut site) in rows {
        let same = |s: &Site| {
            (s.admin_code.is_some() && s.admin_code == site.admin_code)
                || (s.name_th == site.name_th && s.province_th == site.province_th)
        };
        if existing.iter().any(same) || added.iter().any(same) {
            done.unchanged += 1;
            continue;
        }
        site.study_id = study_id;
        site.position = position;
        position += 1;
        site.id = tx.insert_site(&site).await?;
        added.push(site);
        done.added += 1;
    }
    tx.commit().await?;
    if done.unchanged > 0 {
        done.notices.push(Notice::new(
            format!("พื้นที่ {} แห่งมีอยู่แล้ว จึงไม่ได้เพิ่มซ้ำ", done.unchanged),
            format!(
                "{} sites were already in the study; left as they are",
                done.unchanged
            ),
        ));
    }
    Ok((study_id, done))
}

/// Reads a forum schedule, each forum at one of the study's sites; nothing is written.
pub fn read_forums(sheet: &Sheet, sites: &[Site]) -> Result<Vec<(usize, Forum)>> {
    let cols = Columns::new(sheet.header());
    let site_at = cols
        .find(SITE_NAME)
        .or_else(|| cols.find(ADMIN_CODE))
        .ok_or_else(|| Error::Invalid {
            field: "header",
            th: "ไม่พบคอลัมน์พื้นที่ (เช่น \"พื้นที่\") ในแถวหัวตาราง".into(),
            en: "no column for the site (such as \"site\") in the header row".into(),
        })?;
    let province_at = cols.find(PROVINCE);
    let at = |names: &[&str]| cols.find(names);
    let (kind_at, date_at, end_at, title_at) = (at(KIND), at(DATE), at(DATE_END), at(TITLE));
    let (venue_at, people_at, status_at) = (at(VENUE), at(PARTICIPANTS), at(STATUS));
    let mut out = Vec::new();
    for (n, row) in sheet.body() {
        let n = *n;
        let Some(named) = cell(row, Some(site_at)) else {
            return Err(row_error(n, "ไม่มีชื่อพื้นที่", "the site is empty"));
        };
        let bare = strip_prefix(&named);
        let province = cell(row, province_at)
            .and_then(|p| Gazetteer::builtin().province(&p).map(|u| u.name_th));
        let matches: Vec<&Site> = sites
            .iter()
            .filter(|s| s.name_th == bare || s.admin_code.as_deref() == Some(named.as_str()))
            .filter(|s| province.is_none_or(|p| s.province_th == p))
            .collect();
        let site = match matches.as_slice() {
            [one] => *one,
            [] => {
                return Err(row_error(
                    n,
                    format!("ไม่พบพื้นที่ \"{named}\" ในการศึกษานี้ (นำเข้ารายชื่อพื้นที่ก่อน)"),
                    format!("no site \"{named}\" in this study (import the sites first)"),
                ));
            }
            _ => {
                return Err(row_error(
                    n,
                    format!("พื้นที่ \"{named}\" มีหลายแห่ง ระบุจังหวัดหรือรหัสพื้นที่"),
                    format!("\"{named}\" names several sites; give the province or the code"),
                ));
            }
        };
        let date = match cell(row, date_at) {
            None => None,
            Some(d) => Some(read_date(&d).ok_or_else(|| {
                row_error(
                    n,
                    format!("วันที่ \"{d}\" ไม่ถูกต้อง"),
                    format!("invalid date \"{d}\""),
                )
            })?),
        };
        let date_end = match cell(row, end_at) {
            None => None,
            Some(d) => Some(read_date(&d).ok_or_else(|| {
                row_error(
                    n,
                    format!("วันที่ \"{d}\" ไม่ถูกต้อง"),
                    format!("invalid date \"{d}\""),
                )
            })?),
        };
        let kind = match cell(row, kind_at) {
            None => ForumKind::LessonsLearned,
            Some(k) => ForumKind::from_written(&k).ok_or_else(|| {
                let known: Vec<&str> = ForumKind::ALL.iter().map(|k| k.label(Lang::Th)).collect();
                row_error(
                    n,
                    format!("ประเภทเวที \"{k}\" ไม่รู้จัก (ใช้: {})", known.join(", ")),
                    format!("unknown forum kind \"{k}\""),
                )
            })?,
        };
        let participants = match cell(row, people_at) {
            None => None,
            Some(p) => {
                let digits: String = p
                    .chars()
                    .filter_map(|c| {
                        crate::thai::digit_value(c)
                            .map(|d| char::from(b'0' + d as u8))
                            .or(Some(c))
                    })
                    .filter(|c| !matches!(c, ',' | ' '))
                    .collect();
                let digits = digits.trim_end_matches("คน").trim().to_string();
                match digits.parse::<i64>() {
                    Ok(x) if (0..=1_000_000).contains(&x) => Some(x),
                    _ => {
                        return Err(row_error(
                            n,
                            format!("จำนวนผู้เข้าร่วม \"{p}\" ต้องเป็นจำนวนเต็ม 0 ถึง 1,000,000"),
                            format!(
                                "participants \"{p}\" must be a whole number from 0 to 1,000,000"
                            ),
                        ));
                    }
                }
            }
        };
        let status = match cell(row, status_at) {
            Some(s) => ForumStatus::from_written(&s).ok_or_else(|| {
                row_error(
                    n,
                    format!("สถานะ \"{s}\" ไม่รู้จัก"),
                    format!("unknown status \"{s}\""),
                )
            })?,
            None => ForumStatus::Planned,
        };
        let forum = Forum {
            id: 0,
            site_id: site.id,
            kind,
            status,
            title: name_cell(row, title_at, n)?,
            date,
            date_end,
            venue: name_cell(row, venue_at, n)?,
            participants,
            reviewed_at: None,
            reviewed_by: None,
        };
        crate::edit::check(&Record::Forum(forum.clone())).map_err(|e| match e {
            Error::Invalid { th, en, .. } => row_error(n, th, en),
            other => other,
        })?;
        out.push((n, forum));
    }
    Ok(out)
}

/// Adds a forum schedule to a study: all, or none when a row is wrong. A forum the site
/// already has (same kind and date) is left as it is.
pub async fn import_forums(store: &Store, study_id: i64, sheet: &Sheet) -> Result<Scheduled> {
    let sites = store.study_sites(study_id).await?;
    let rows = read_forums(sheet, &sites)?;
    let existing = store.study_forums(study_id).await?;
    let mut done = Scheduled::default();
    let mut tx = store.begin().await?;
    let mut added: Vec<Forum> = Vec::new();
    for (_, forum) in rows {
        let same =
            |f: &Forum| f.site_id == forum.site_id && f.kind == forum.kind && f.date == forum.date;
        if existing.iter().any(same) || added.iter().any(same) {
            done.unchanged += 1;
            continue;
        }
        tx.insert_forum(&forum).await?;
        added.push(forum);
        done.added += 1;
    }
    tx.commit().await?;
    if done.unchanged > 0 {
        done.notices.push(Notice::new(
            format!(
                "เวที {} รายการมีอยู่แล้ว (พื้นที่ ประเภท และวันที่เดียวกัน) จึงไม่ได้เพิ่มซ้ำ",
                done.unchanged
            ),
            format!(
                "{} forums were already in the study (same site, kind and date); left as they are",
                done.unchanged
            ),
        ));
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_people_type_them() {
        let d = |s: &str| read_date(s).map(|d| d.to_string());
        assert_eq!(d("2023-03-31").as_deref(), Some("2023-03-31"));
        assert_eq!(d("2566-03-31").as_deref(), Some("2023-03-31"));
        assert_eq!(d("31 มีนาคม 2566").as_deref(), Some("2023-03-31"));
        assert_eq!(d("31 กุมภาพันธ์ 2566"), None);
        assert_eq!(d("2023-02-31"), None);
        assert_eq!(d("เมื่อวาน"), None);
        assert_eq!(d("มีนาคม 2566"), None);
    }

    #[test]
    fn sites_are_completed_from_the_gazetteer() {
        let s = site_from_gazetteer("ต.พระแท่น", None, None, None).unwrap();
        assert_eq!(
            (s.province_th.as_str(), s.level),
            ("กาญจนบุรี", AdminLevel::Tambon)
        );
        assert!(s.admin_code.is_some());
        let s = site_from_gazetteer("ดาวคะนอง", None, Some("กรุงเทพฯ"), None).unwrap();
        assert_eq!(
            (s.level, s.district_th.as_deref()),
            (AdminLevel::Khwaeng, Some("ธนบุรี"))
        );
        let s = site_from_gazetteer("หมู่บ้านสมมติ", None, Some("จ.น่าน"), None).unwrap();
        assert_eq!(s.province_th, "น่าน");
        assert!(site_from_gazetteer("หมู่บ้านสมมติ", None, None, None).is_err());
    }
}
