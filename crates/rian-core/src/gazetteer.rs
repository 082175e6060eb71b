//! The Thai administrative gazetteer: every province, district (อำเภอ/เขต) and
//! sub-district (ตำบล/แขวง) with its official DOPA code, generated from the `geothai`
//! package (data CC-BY-4.0; see `data/README.md`) and embedded in the binary.

use std::collections::HashMap;
use std::sync::OnceLock;

const GAZETTEER_TSV: &str = include_str!("../data/gazetteer.tsv");

/// An administrative level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Province,
    District,
    Subdistrict,
}

/// One administrative unit. Names carry no prefix (ธนบุรี, not เขตธนบุรี).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    pub code: &'static str,
    pub level: Level,
    pub name_th: &'static str,
    pub name_en: &'static str,
    /// The code of the unit it belongs to; empty for a province.
    pub parent: &'static str,
}

impl Unit {
    /// True for Bangkok's units, whose districts are เขต and sub-districts แขวง.
    pub fn in_bangkok(&self) -> bool {
        self.code.starts_with("10")
    }
}

/// The gazetteer, indexed by code and by Thai name.
pub struct Gazetteer {
    units: Vec<Unit>,
    by_code: HashMap<&'static str, usize>,
    by_name: HashMap<&'static str, Vec<usize>>,
}

impl Gazetteer {
    /// The gazetteer rian ships. Built once.
    pub fn builtin() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| Gazetteer::parse(GAZETTEER_TSV))
    }

    fn parse(tsv: &'static str) -> Gazetteer {
        let units: Vec<Unit> = tsv
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut f = line.split('\t');
                let code = f.next()?;
                let level = match f.next()? {
                    "province" => Level::Province,
                    "district" => Level::District,
                    "subdistrict" => Level::Subdistrict,
                    _ => return None,
                };
                Some(Unit {
                    code,
                    level,
                    name_th: f.next()?,
                    name_en: f.next()?,
                    parent: f.next().unwrap_or(""),
                })
            })
            .collect();
        let mut by_code = HashMap::with_capacity(units.len());
        let mut by_name: HashMap<&'static str, Vec<usize>> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            by_code.insert(u.code, i);
            by_name.entry(u.name_th).or_default().push(i);
        }
        Gazetteer {
            units,
            by_code,
            by_name,
        }
    }

    pub fn by_code(&self, code: &str) -> Option<&Unit> {
        self.by_code.get(code).map(|&i| &self.units[i])
    }

    /// Every unit with this Thai name (no prefix), at any level.
    pub fn named(&self, name: &str) -> impl Iterator<Item = &Unit> {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.units[i])
    }

    /// The unit a unit belongs to.
    pub fn parent(&self, unit: &Unit) -> Option<&Unit> {
        self.by_code(unit.parent)
    }

    /// The province of a unit (itself, for a province).
    pub fn province_of<'a>(&'a self, unit: &'a Unit) -> Option<&'a Unit> {
        self.by_code(unit.code.get(..2)?)
    }

    /// A province from the ways write-ups name it: จ.กาญจนบุรี, จังหวัดกาญจนบุรี, กาญจนบุรี,
    /// and Bangkok as กรุงเทพฯ, กทม. or กรุงเทพ.
    pub fn province(&self, text: &str) -> Option<&Unit> {
        let name = text.trim();
        let name = name
            .strip_prefix("จังหวัด")
            .or_else(|| name.strip_prefix("จ."))
            .unwrap_or(name)
            .trim_start();
        let name = match name {
            "กรุงเทพฯ" | "กรุงเทพ" | "กทม." | "กทม" | "กรุงเทพมหานคร" => {
                "กรุงเทพมหานคร"
            }
            other => other,
        };
        self.named(name).find(|u| u.level == Level::Province)
    }

    /// Every unit, in the order the data lists them.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_every_level() {
        let g = Gazetteer::builtin();
        let count = |l| g.units.iter().filter(|u| u.level == l).count();
        assert_eq!(count(Level::Province), 77);
        assert!(count(Level::District) > 900);
        assert!(count(Level::Subdistrict) > 7000);
    }

    #[test]
    fn agrees_with_the_study_site_list() {
        // The study frame shipped with rian must match the gazetteer code for code.
        let g = Gazetteer::builtin();
        for site in crate::demo::study_2566_sites().unwrap() {
            let code = site.admin_code.as_deref().unwrap();
            let unit = g.by_code(code).unwrap_or_else(|| panic!("{code}"));
            assert_eq!(unit.name_th, site.name_th);
            assert_eq!(g.province_of(unit).unwrap().name_th, site.province_th);
            if let Some(district) = &site.district_th {
                assert_eq!(g.parent(unit).unwrap().name_th, district);
            }
        }
    }

    #[test]
    fn reads_provinces_as_written() {
        let g = Gazetteer::builtin();
        for text in ["จ.กาญจนบุรี", "จังหวัดกาญจนบุรี", "กาญจนบุรี", "จ. กาญจนบุรี"]
        {
            assert_eq!(g.province(text).map(|u| u.code), Some("71"), "{text}");
        }
        assert_eq!(
            g.province("กรุงเทพฯ").map(|u| u.name_th),
            Some("กรุงเทพมหานคร")
        );
        assert_eq!(g.province("ธนบุรี"), None, "a district is not a province");
        // 28 tambons share the name หนองบัว; each knows its province.
        let nongbua: Vec<_> = g
            .named("หนองบัว")
            .filter(|u| u.level == Level::Subdistrict)
            .collect();
        assert!(nongbua.len() > 20);
        assert!(nongbua.iter().any(|u| u.code == "710106"));
    }
}
