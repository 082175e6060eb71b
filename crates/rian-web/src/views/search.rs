//! `/search`: Thai full-text search over every study, with facets to narrow it;
//! `/search/concordance` (and `.csv`): every place a word is said, with its neighbours;
//! `/api/search`: the same search as JSON.

use super::render;
use crate::page::Page;
use crate::{App, AppState, WebError};
use askama::Template;
use axum::Json;
use axum::extract::RawQuery;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rian_core::model::Lang;
use rian_core::search::{Concordance, FacetCount, Filter, FilterText, Request, Results, Unit};

/// Hits on one page.
const PER_PAGE: usize = 20;
/// Lines a concordance page shows; the CSV takes more.
const CONCORDANCE_LINES: usize = 2_000;
const CONCORDANCE_CSV_LINES: usize = 100_000;

/// The query string as pairs, in order; filters may repeat (`site=3&site=5`).
#[derive(Clone, Default)]
pub(crate) struct Params(Vec<(String, String)>);

/// Filter keys: as URL parameters, and the facet each one narrows.
const FILTER_KEYS: [&str; 8] = [
    "site", "province", "code", "kind", "year", "unit", "from", "to",
];

impl Params {
    pub(crate) fn read(raw: Option<String>) -> Params {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).unwrap_or_default();
        Params(
            pairs
                .into_iter()
                .filter(|(k, v)| k != "lang" && !v.trim().is_empty())
                .collect(),
        )
    }

    pub(crate) fn first(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub(crate) fn has(&self, key: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == key && v == value)
    }

    /// These parameters with `key=value` added, or taken away if present; back to page 1.
    fn toggled(&self, key: &str, value: &str) -> String {
        let mut pairs: Vec<(String, String)> = self
            .0
            .iter()
            .filter(|(k, _)| k != "page")
            .cloned()
            .collect();
        if self.has(key, value) {
            pairs.retain(|(k, v)| !(k == key && v == value));
        } else {
            pairs.push((key.to_string(), value.to_string()));
        }
        Params(pairs).href("/search")
    }

    fn with(&self, key: &str, value: &str) -> Params {
        let mut pairs: Vec<(String, String)> =
            self.0.iter().filter(|(k, _)| k != key).cloned().collect();
        pairs.push((key.to_string(), value.to_string()));
        Params(pairs)
    }

    /// The parameters as a query string (without `?`).
    pub(crate) fn query(&self) -> String {
        serde_urlencoded::to_string(&self.0).unwrap_or_default()
    }

    /// Sets `key` to this one value.
    pub(crate) fn set(&mut self, key: &str, value: &str) {
        self.remove(key);
        self.0.push((key.to_string(), value.to_string()));
    }

    pub(crate) fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| k != key);
    }

    fn href(&self, path: &str) -> String {
        if self.0.is_empty() {
            return path.to_string();
        }
        format!(
            "{path}?{}",
            serde_urlencoded::to_string(&self.0).unwrap_or_default()
        )
    }

    /// The filters these parameters ask for. Sites and codes come as ids (facet links).
    async fn filter(&self, app: &AppState) -> rian_core::Result<Filter> {
        let mut filter = FilterText {
            provinces: self.all("province"),
            kinds: self.all("kind"),
            years: self.all("year"),
            units: self.all("unit"),
            from: self.first("from").map(str::to_string),
            to: self.first("to").map(str::to_string),
            ..FilterText::default()
        }
        .resolve(&app.store)
        .await?;
        let ids = |key: &str| -> rian_core::Result<Vec<i64>> {
            self.all(key)
                .iter()
                .map(|v| {
                    v.trim().parse().map_err(|_| rian_core::Error::Invalid {
                        field: "filter",
                        th: format!("ตัวกรองไม่ถูกต้อง: {key}={v}"),
                        en: format!("invalid filter: {key}={v}"),
                    })
                })
                .collect()
        };
        filter.sites = ids("site")?;
        filter.codes = ids("code")?;
        filter.study = self.first("study").and_then(|s| s.parse().ok());
        // A community reviewer searches their own site, whatever the link asks for.
        if let Some(account) = &app.user.account
            && account.role == rian_core::model::Role::Reviewer
        {
            filter.sites = account.site_id.into_iter().collect();
        }
        // Coded blind: each coder finds only their own codes there.
        let blind = app.store.blind_studies().await?;
        if !blind.is_empty() {
            filter.blind = Some(rian_core::search::Blind {
                studies: blind,
                coder: app.user.name.to_string(),
            });
        }
        Ok(filter)
    }

    fn filters_only(&self) -> Params {
        Params(
            self.0
                .iter()
                .filter(|(k, _)| FILTER_KEYS.contains(&k.as_str()))
                .cloned()
                .collect(),
        )
    }
}

/// One value of a facet, as a link that adds or removes it.
pub struct FacetLink {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub on: bool,
}

pub struct FacetGroup {
    pub title: &'static str,
    pub links: Vec<FacetLink>,
    /// Values with hits that are not listed.
    pub more: usize,
}

/// A piece of an excerpt, highlighted or not.
pub struct Piece {
    pub text: String,
    pub marked: bool,
}

pub struct HitView {
    pub kind: &'static str,
    pub code: String,
    pub place: String,
    pub date: String,
    pub pieces: Vec<Piece>,
    pub cut_before: bool,
    pub cut_after: bool,
    pub link: String,
}

/// A filter in force, with the link that removes it.
pub struct Chip {
    pub label: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub page: Page,
    pub q: String,
    /// Hidden inputs that keep the filters when the query is changed.
    pub kept: Vec<(String, String)>,
    pub error: String,
    pub searched: bool,
    pub total: usize,
    pub first: usize,
    pub last: usize,
    pub hits: Vec<HitView>,
    pub facets: Vec<FacetGroup>,
    pub chips: Vec<Chip>,
    pub widened: Vec<String>,
    pub pending: i64,
    pub prev: String,
    pub next: String,
    /// The first page, shown when this one is past the last hit (an address typed or
    /// kept from before hits were removed).
    pub first_page: String,
    pub concordance: String,
}

fn hit_view(h: &rian_core::search::Hit, lang: Lang) -> HitView {
    let mut place = Vec::new();
    if let Some(site) = &h.site {
        let province = h.province.as_deref().unwrap_or("");
        place.push(format!("{} จ.{province}", site.name));
    }
    if let Some(kind) = h.forum_kind {
        place.push(kind.label(lang).to_string());
    }
    HitView {
        kind: h.unit.label(lang),
        code: h.code.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
        place: place.join(" · "),
        date: h.date_be.clone().unwrap_or_default(),
        pieces: h
            .snippet
            .pieces()
            .into_iter()
            .map(|(text, marked)| Piece {
                text: text.to_string(),
                marked,
            })
            .collect(),
        cut_before: h.snippet.cut_before,
        cut_after: h.snippet.cut_after,
        link: h.link.clone(),
    }
}

fn facet_groups(r: &Results, params: &Params, page: &Page) -> Vec<FacetGroup> {
    let group = |title: &'static str,
                 key: &str,
                 counts: &[FacetCount],
                 lang_label: &dyn Fn(&FacetCount) -> String| {
        FacetGroup {
            title,
            more: r.facets.more.get(key).copied().unwrap_or(0),
            links: counts
                .iter()
                .map(|c| FacetLink {
                    label: lang_label(c),
                    count: c.count,
                    href: params.toggled(key, &c.value),
                    on: params.has(key, &c.value),
                })
                .collect(),
        }
    };
    let lang = page.lang;
    let plain = |c: &FacetCount| c.label.clone();
    let kind = move |c: &FacetCount| {
        c.value
            .parse::<rian_core::model::ForumKind>()
            .map_or(c.label.clone(), |k| k.label(lang).to_string())
    };
    let unit = move |c: &FacetCount| {
        c.value
            .parse::<Unit>()
            .map_or(c.label.clone(), |u| u.label(lang).to_string())
    };
    let year = |c: &FacetCount| match lang {
        Lang::Th => format!("พ.ศ. {}", c.value),
        Lang::En => format!("BE {}", c.value),
    };
    vec![
        group(page.tr("ชนิด", "Kind"), "unit", &r.facets.unit, &unit),
        group(page.tr("พื้นที่", "Site"), "site", &r.facets.site, &plain),
        group(
            page.tr("จังหวัด", "Province"),
            "province",
            &r.facets.province,
            &plain,
        ),
        group(page.tr("รหัส", "Code"), "code", &r.facets.code, &plain),
        group(
            page.tr("ประเภทเวที", "Forum kind"),
            "kind",
            &r.facets.kind,
            &kind,
        ),
        group(page.tr("ปี", "Year"), "year", &r.facets.year, &year),
    ]
    .into_iter()
    .filter(|g| !g.links.is_empty())
    .collect()
}

/// The filters in force as chips; a chip's label comes from the facet that names it.
fn chips(params: &Params, facets: &[FacetGroup], page: &Page) -> Vec<Chip> {
    let named: Vec<(&str, &FacetLink)> = facets
        .iter()
        .flat_map(|g| g.links.iter().map(move |l| (g.title, l)))
        .filter(|(_, l)| l.on)
        .collect();
    let mut out: Vec<Chip> = named
        .iter()
        .map(|(title, l)| Chip {
            label: format!("{title}: {}", l.label),
            href: l.href.clone(),
        })
        .collect();
    for (key, th, en) in [("from", "ตั้งแต่", "From"), ("to", "ถึง", "To")] {
        if let Some(v) = params.first(key) {
            out.push(Chip {
                label: format!("{} {v}", page.tr(th, en)),
                href: params.toggled(key, v),
            });
        }
    }
    out
}

pub async fn show(
    App(app): App,
    RawQuery(raw): RawQuery,
    page: Page,
) -> Result<Response, WebError> {
    let params = Params::read(raw);
    let q = params.first("q").unwrap_or("").trim().to_string();
    // A page number is read as 32 bits: the first hit of any such page is still a
    // number, and a page past the last shows none.
    let page_no = params
        .first("page")
        .and_then(|p| p.parse::<u32>().ok())
        .map_or(1, |p| p as usize)
        .max(1);
    let title = if q.is_empty() {
        page.tr("ค้นหา", "Search").to_string()
    } else {
        format!("{} · {q}", page.tr("ค้นหา", "Search"))
    };
    let mut view = SearchPage {
        page: page.titled(title),
        kept: params.filters_only().0,
        q: q.clone(),
        error: String::new(),
        searched: false,
        total: 0,
        first: 0,
        last: 0,
        hits: Vec::new(),
        facets: Vec::new(),
        chips: Vec::new(),
        widened: Vec::new(),
        pending: 0,
        prev: String::new(),
        next: String::new(),
        first_page: String::new(),
        concordance: params.href("/search/concordance"),
    };
    if q.is_empty() {
        return Ok(render(&view)?.into_response());
    }
    let found = match params.filter(&app).await {
        Ok(filter) => {
            let mut request = Request::new(q.as_str());
            request.filter = filter;
            request.limit = PER_PAGE;
            request.offset = (page_no - 1) * PER_PAGE;
            app.store.search_index()?.search(&app.store, &request).await
        }
        Err(e) => Err(e),
    };
    let found = match found {
        Ok(found) => found,
        Err(e) if e.is_refusal() => {
            view.error = e.to_string();
            return Ok((StatusCode::BAD_REQUEST, render(&view)?).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let lang = view.page.lang;
    view.searched = true;
    view.total = found.total;
    view.first = (page_no - 1) * PER_PAGE + 1;
    view.last = (page_no - 1) * PER_PAGE + found.hits.len();
    view.hits = found.hits.iter().map(|h| hit_view(h, lang)).collect();
    view.facets = facet_groups(&found, &params, &view.page);
    view.chips = chips(&params, &view.facets, &view.page);
    view.widened = found.widened.clone();
    view.pending = found.pending;
    if view.hits.is_empty() && found.total > 0 {
        view.first_page = params.with("page", "1").href("/search");
    } else if page_no > 1 {
        view.prev = params
            .with("page", &(page_no - 1).to_string())
            .href("/search");
    }
    if view.last < found.total {
        view.next = params
            .with("page", &(page_no + 1).to_string())
            .href("/search");
    }
    Ok(render(&view)?.into_response())
}

/// `GET /api/search?q=…`: the search as JSON (the shape of `rian search --json`).
pub async fn api(App(app): App, RawQuery(raw): RawQuery) -> Response {
    let params = Params::read(raw);
    let q = params.first("q").unwrap_or("").to_string();
    let answer = async {
        let mut request = Request::new(q);
        request.filter = params.filter(&app).await?;
        request.limit = params
            .first("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(PER_PAGE);
        request.offset = params
            .first("offset")
            .and_then(|o| o.parse().ok())
            .unwrap_or(0);
        if let Some(n) = params.first("facet_values").and_then(|n| n.parse().ok()) {
            request.facet_values = n;
        }
        app.store.search_index()?.search(&app.store, &request).await
    }
    .await;
    match answer {
        Ok(found) => Json(found).into_response(),
        Err(e) => {
            let status = if e.is_refusal() {
                StatusCode::BAD_REQUEST
            } else {
                eprintln!("rian-web: search failed: {e}");
                StatusCode::INTERNAL_SERVER_ERROR
            };
            (status, Json(serde_json::json!({ "error": e.to_string() }))).into_response()
        }
    }
}

pub struct LineView {
    pub place: String,
    pub date: String,
    pub left: String,
    pub keyword: String,
    pub right: String,
    pub link: String,
}

#[derive(Template)]
#[template(path = "concordance.html")]
pub struct ConcordancePage {
    pub page: Page,
    pub q: String,
    pub kept: Vec<(String, String)>,
    pub error: String,
    pub lines: Vec<LineView>,
    pub documents: usize,
    pub truncated: bool,
    pub csv: String,
    pub back: String,
}

async fn concordance_of(
    app: &AppState,
    params: &Params,
    limit: usize,
) -> rian_core::Result<Concordance> {
    let q = params.first("q").unwrap_or("").to_string();
    let filter = params.filter(app).await?;
    let width = params
        .first("width")
        .and_then(|w| w.parse().ok())
        .unwrap_or(40usize)
        .clamp(5, 200);
    app.store
        .search_index()?
        .concordance(&app.store, &q, &filter, width, limit)
        .await
}

pub async fn concordance(
    App(app): App,
    RawQuery(raw): RawQuery,
    page: Page,
) -> Result<Response, WebError> {
    let params = Params::read(raw);
    let q = params.first("q").unwrap_or("").trim().to_string();
    let title = format!("{} · {q}", page.tr("คำในบริบท", "Concordance"));
    let mut view = ConcordancePage {
        page: page.titled(title),
        q: q.clone(),
        kept: params.filters_only().0,
        error: String::new(),
        lines: Vec::new(),
        documents: 0,
        truncated: false,
        csv: params.href("/search/concordance.csv"),
        back: params.href("/search"),
    };
    if q.is_empty() {
        return Ok(render(&view)?.into_response());
    }
    let k = match concordance_of(&app, &params, CONCORDANCE_LINES).await {
        Ok(k) => k,
        Err(e) if e.is_refusal() => {
            view.error = e.to_string();
            return Ok((StatusCode::BAD_REQUEST, render(&view)?).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    view.documents = k.documents;
    view.truncated = k.truncated;
    view.lines = k
        .lines
        .iter()
        .map(|l| LineView {
            place: l.site.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
            date: l.date_be.clone().unwrap_or_default(),
            left: l.line.left.clone(),
            keyword: l.line.keyword.clone(),
            right: l.line.right.clone(),
            link: l.link.clone(),
        })
        .collect();
    Ok(render(&view)?.into_response())
}

/// The concordance as a CSV file (UTF-8 with BOM, for spreadsheets).
pub async fn concordance_csv(App(app): App, RawQuery(raw): RawQuery) -> Result<Response, WebError> {
    let params = Params::read(raw);
    let k = match concordance_of(&app, &params, CONCORDANCE_CSV_LINES).await {
        Ok(k) => k,
        Err(e) if e.is_refusal() => {
            return Ok((StatusCode::BAD_REQUEST, e.to_string()).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"rian-concordance.csv\"",
            ),
        ],
        k.to_csv(),
    )
        .into_response())
}

/// A value for a URL query.
pub(crate) fn encode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .unwrap_or_default()
        .trim_start_matches('=')
        .to_string()
}
