//! Rows → plain data. Enumerations and dates are stored as text and read back strictly:
//! a value rian did not write is reported as a corrupt record, not guessed at.

use crate::model::*;
use crate::{Error, Result};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::str::FromStr;

pub(super) fn parse<T: FromStr>(row: &AnyRow, col: &str) -> Result<T> {
    let raw: String = row.try_get(col)?;
    raw.parse()
        .map_err(|_| Error::Corrupt(format!("{col} = {raw:?}")))
}

pub(super) fn date(row: &AnyRow, col: &str) -> Result<Option<IsoDate>> {
    let raw: Option<String> = row.try_get(col)?;
    raw.map(|s| IsoDate::parse(&s).ok_or_else(|| Error::Corrupt(format!("{col} = {s:?}"))))
        .transpose()
}

fn span(row: &AnyRow) -> Result<Option<Span>> {
    let start: Option<i64> = row.try_get("span_start")?;
    let end: Option<i64> = row.try_get("span_end")?;
    Ok(start.zip(end).map(|(start, end)| Span { start, end }))
}

pub(super) fn study(r: &AnyRow) -> Result<Study> {
    Ok(Study {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        name_th: r.try_get("name_th")?,
        name_en: r.try_get("name_en")?,
        fiscal_year_be: r.try_get("fiscal_year_be")?,
        framework: r.try_get("framework")?,
    })
}

pub(super) fn site(r: &AnyRow) -> Result<Site> {
    Ok(Site {
        id: r.try_get("id")?,
        study_id: r.try_get("study_id")?,
        position: r.try_get("position")?,
        name_th: r.try_get("name_th")?,
        level: parse(r, "level")?,
        district_th: r.try_get("district_th")?,
        province_th: r.try_get("province_th")?,
        admin_code: r.try_get("admin_code")?,
        lat: r.try_get("lat")?,
        lon: r.try_get("lon")?,
        fictional: r.try_get::<i64, _>("fictional")? != 0,
    })
}

pub(super) fn community(r: &AnyRow) -> Result<Community> {
    Ok(Community {
        id: r.try_get("id")?,
        site_id: r.try_get("site_id")?,
        name_th: r.try_get("name_th")?,
        note: r.try_get("note")?,
    })
}

pub(super) fn forum(r: &AnyRow) -> Result<Forum> {
    Ok(Forum {
        id: r.try_get("id")?,
        site_id: r.try_get("site_id")?,
        kind: parse(r, "kind")?,
        status: parse(r, "status")?,
        title: r.try_get("title")?,
        date: date(r, "date")?,
        date_end: date(r, "date_end")?,
        venue: r.try_get("venue")?,
        participants: r.try_get("participants")?,
        reviewed_at: r.try_get("reviewed_at")?,
        reviewed_by: r.try_get("reviewed_by")?,
    })
}

pub(super) fn forum_party(r: &AnyRow) -> Result<ForumParty> {
    Ok(ForumParty {
        id: r.try_get("id")?,
        forum_id: r.try_get("forum_id")?,
        role: parse(r, "role")?,
        name: r.try_get("name")?,
    })
}

pub(super) fn attendee(r: &AnyRow) -> Result<Attendee> {
    Ok(Attendee {
        id: r.try_get("id")?,
        forum_id: r.try_get("forum_id")?,
        name: r.try_get("name")?,
        phone: r.try_get("phone")?,
        role: r.try_get("role")?,
    })
}

pub(super) fn document(r: &AnyRow) -> Result<Document> {
    Ok(Document {
        id: r.try_get("id")?,
        forum_id: r.try_get("forum_id")?,
        title: r.try_get("title")?,
        source_name: r.try_get("source_name")?,
        media_type: r.try_get("media_type")?,
        original: r.try_get("original")?,
        text: r.try_get("text")?,
        content_hash: r
            .try_get::<Option<String>, _>("content_hash")?
            .unwrap_or_default(),
    })
}

pub(super) fn code(r: &AnyRow) -> Result<Code> {
    Ok(Code {
        id: r.try_get("id")?,
        study_id: r.try_get("study_id")?,
        parent_id: r.try_get("parent_id")?,
        key: r.try_get("key")?,
        name_th: r.try_get("name_th")?,
        name_en: r.try_get("name_en")?,
        color: r.try_get("color")?,
        position: r.try_get("position")?,
        description: r.try_get("description")?,
    })
}

pub(super) fn coding(r: &AnyRow) -> Result<Coding> {
    Ok(Coding {
        id: r.try_get("id")?,
        document_id: r.try_get("document_id")?,
        code_id: r.try_get("code_id")?,
        span: span(r)?.ok_or_else(|| Error::Corrupt("coding without a span".into()))?,
        coder: r.try_get("coder")?,
        status: parse(r, "status")?,
        memo: r.try_get("memo")?,
        cue: r.try_get("cue")?,
    })
}

pub(super) fn fact(r: &AnyRow) -> Result<Fact> {
    Ok(Fact {
        id: r.try_get("id")?,
        document_id: r.try_get("document_id")?,
        kind: parse(r, "kind")?,
        value: r.try_get("value")?,
        number: r.try_get("number")?,
        unit: r.try_get("unit")?,
        span: span(r)?,
    })
}

pub(super) fn swot_item(r: &AnyRow) -> Result<SwotItem> {
    Ok(SwotItem {
        id: r.try_get("id")?,
        community_id: r.try_get("community_id")?,
        quadrant: parse(r, "quadrant")?,
        text: r.try_get("text")?,
        position: r.try_get("position")?,
        document_id: r.try_get("document_id")?,
        span: span(r)?,
    })
}

pub(super) fn actor(r: &AnyRow) -> Result<Actor> {
    Ok(Actor {
        id: r.try_get("id")?,
        study_id: r.try_get("study_id")?,
        name: r.try_get("name")?,
        kind: parse(r, "kind")?,
    })
}

pub(super) fn tie(r: &AnyRow) -> Result<Tie> {
    Ok(Tie {
        id: r.try_get("id")?,
        actor_id: r.try_get("actor_id")?,
        site_id: r.try_get("site_id")?,
        kind: parse(r, "kind")?,
        note: r.try_get("note")?,
        document_id: r.try_get("document_id")?,
        span: span(r)?,
    })
}

pub(super) fn activity(r: &AnyRow) -> Result<Activity> {
    Ok(Activity {
        id: r.try_get("id")?,
        study_id: r.try_get("study_id")?,
        batch: r.try_get("batch")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        entity: r.try_get("entity")?,
        entity_id: r.try_get("entity_id")?,
        before: r.try_get("before_value")?,
        after: r.try_get("after_value")?,
        undone: r.try_get::<i64, _>("undone")? != 0,
    })
}

pub(super) fn plan_item(r: &AnyRow) -> Result<PlanItem> {
    Ok(PlanItem {
        id: r.try_get("id")?,
        site_id: r.try_get("site_id")?,
        what: r.try_get("what")?,
        who: r.try_get("who")?,
        due: date(r, "due")?,
        status: parse(r, "status")?,
        progress: r.try_get("progress")?,
    })
}

pub(super) fn memo(r: &AnyRow) -> Result<Memo> {
    Ok(Memo {
        id: r.try_get("id")?,
        study_id: r.try_get("study_id")?,
        target: parse(r, "target")?,
        target_id: r.try_get("target_id")?,
        text: r.try_get("text")?,
        author: r.try_get("author")?,
        written_at: r.try_get("written_at")?,
    })
}

pub(super) fn cell_summary(r: &AnyRow) -> Result<CellSummary> {
    Ok(CellSummary {
        id: r.try_get("id")?,
        study_id: r.try_get("study_id")?,
        row_kind: parse(r, "row_kind")?,
        row_id: r.try_get("row_id")?,
        code_id: r.try_get("code_id")?,
        text: r.try_get("text")?,
        author: r.try_get("author")?,
        written_at: r.try_get("written_at")?,
    })
}

pub(super) fn correction(r: &AnyRow) -> Result<Correction> {
    Ok(Correction {
        id: r.try_get("id")?,
        site_id: r.try_get("site_id")?,
        item_entity: r.try_get("item_entity")?,
        item_id: r.try_get("item_id")?,
        statement: r.try_get("statement")?,
        text: r.try_get("text")?,
        state: parse(r, "state")?,
        note: r.try_get("note")?,
        author: r.try_get("author")?,
        written_at: r.try_get("written_at")?,
    })
}
