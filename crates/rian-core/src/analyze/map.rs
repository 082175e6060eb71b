//! The study's sites on the map: where each is, and where it stands.

use super::*;

/// How a site was placed on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placing {
    /// Its own coordinates.
    Coordinates,
    /// Near the middle of its province: the site has no coordinates yet.
    Province,
    /// Neither is known; the site is listed but not drawn.
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapSite {
    pub site: Site,
    pub status: SiteStatus,
    pub lon: f64,
    pub lat: f64,
    pub placing: Placing,
}

/// Places every site: its coordinates, or its province's centre. Sites sharing a centre
/// are set around it on a small circle, so that each stays visible and clickable.
pub fn place_sites(sites: &[SiteOverview]) -> Vec<MapSite> {
    let mut around: HashMap<String, usize> = HashMap::new();
    let shared: HashMap<String, usize> = sites
        .iter()
        .filter(|o| o.site.lat.is_none() || o.site.lon.is_none())
        .fold(HashMap::new(), |mut m, o| {
            *m.entry(o.site.province_th.clone()).or_insert(0) += 1;
            m
        });
    sites
        .iter()
        .map(|o| {
            let s = &o.site;
            let (lon, lat, placing) = match (s.lon, s.lat) {
                (Some(lon), Some(lat)) => (lon, lat, Placing::Coordinates),
                _ => match crate::geo::province(&s.province_th) {
                    Some(p) => {
                        let [lon, lat] = p.centroid();
                        let n = shared.get(&s.province_th).copied().unwrap_or(1);
                        let i = around.entry(s.province_th.clone()).or_insert(0);
                        let (dx, dy) = if n > 1 {
                            let angle = *i as f64 / n as f64 * std::f64::consts::TAU;
                            (0.12 * angle.cos(), 0.12 * angle.sin())
                        } else {
                            (0.0, 0.0)
                        };
                        *i += 1;
                        (lon + dx, lat + dy, Placing::Province)
                    }
                    None => (0.0, 0.0, Placing::Unknown),
                },
            };
            MapSite {
                site: s.clone(),
                status: o.status,
                lon,
                lat,
                placing,
            }
        })
        .collect()
}

/// The sites as GeoJSON points (RFC 7946: longitude first), with their names, province,
/// status and page; sites that could not be placed are left out.
pub fn geojson(sites: &[MapSite]) -> String {
    let features: Vec<serde_json::Value> = sites
        .iter()
        .filter(|m| m.placing != Placing::Unknown)
        .map(|m| {
            serde_json::json!({
                "type": "Feature",
                "id": m.site.id,
                "geometry": {
                    "type": "Point",
                    "coordinates": [(m.lon * 1e5).round() / 1e5, (m.lat * 1e5).round() / 1e5],
                },
                "properties": {
                    "name": m.site.display_name(),
                    "name_th": m.site.name_th,
                    "province": m.site.province_th,
                    "admin_code": m.site.admin_code,
                    "status": m.status.as_str(),
                    "status_th": m.status.label(Lang::Th),
                    "fictional": m.site.fictional,
                    "placed_at": match m.placing {
                        Placing::Coordinates => "coordinates",
                        _ => "province_centre",
                    },
                    "link": format!("/sites/{}", m.site.id),
                },
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "type": "FeatureCollection",
        "features": features,
    }))
    .unwrap_or_default()
}

/// The provinces of Thailand with the study's sites on them, coloured by status, each a
/// link to its site page; provinces holding a site are shaded.
pub fn map_chart(title: &str, sites: &[SiteOverview], lang: Lang) -> String {
    use crate::chart;
    let placed = place_sites(sites);
    let with_sites: Vec<&str> = sites.iter().map(|o| o.site.province_th.as_str()).collect();
    let shapes: Vec<chart::MapShape> = crate::geo::provinces()
        .iter()
        .map(|p| chart::MapShape {
            name: p.name_th.to_string(),
            rings: p.rings.clone(),
            highlighted: with_sites.contains(&p.name_th),
        })
        .collect();
    let points: Vec<chart::MapPoint> = placed
        .iter()
        .filter(|m| m.placing != Placing::Unknown)
        .map(|m| chart::MapPoint {
            id: format!("site-{}", m.site.id),
            label: m.site.display_name(),
            lon: m.lon,
            lat: m.lat,
            group: m.status.as_str().into(),
            href: Some(format!("/sites/{}", m.site.id)),
            title: format!(
                "{} {} · {}",
                m.site.display_name(),
                m.site.province_display(),
                m.status.label(lang)
            ),
        })
        .collect();
    let legend: Vec<chart::LegendEntry> = SiteStatus::ALL
        .iter()
        .map(|s| chart::LegendEntry {
            group: s.as_str().into(),
            label: s.label(lang).into(),
        })
        .collect();
    chart::map_svg(title, &shapes, &points, &legend)
}
