//! Spreadsheets people bring, read as rows of text: XLSX (the first sheet, or the one
//! named) by calamine, CSV by the csv crate after rian's own decoding (UTF-8 with or
//! without a BOM, UTF-16, TIS-620). A cell a spreadsheet holds as a date comes out ISO
//! (2023-03-31); numbers without a fraction come out as whole numbers.

use crate::model::IsoDate;
use crate::{Error, Result};

/// The most rows rian reads from one sheet.
pub const MAX_ROWS: usize = 100_000;
/// The most bytes of one spreadsheet file.
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

fn bad(th: impl Into<String>, en: impl Into<String>) -> Error {
    Error::BadSheet {
        th: th.into(),
        en: en.into(),
    }
}

/// A sheet: its rows, the first the header. Empty rows are left out; rows keep their
/// number in the file (1 for the header) so that errors can name them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Sheet {
    /// The header row's cells, trimmed.
    pub fn header(&self) -> Vec<String> {
        self.rows
            .first()
            .map(|(_, r)| r.iter().map(|c| c.trim().to_string()).collect())
            .unwrap_or_default()
    }

    /// The rows under the header, with their row numbers.
    pub fn body(&self) -> &[(usize, Vec<String>)] {
        self.rows.get(1..).unwrap_or_default()
    }
}

/// An Excel date serial (days since 1899-12-30) as an ISO date.
fn excel_date(serial: f64) -> Option<IsoDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Days from 1970-01-01, then the civil date (Howard Hinnant's algorithm).
    let z = serial.floor() as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    IsoDate::new(year, month, day)
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            excel_date(d.as_f64()).map_or_else(|| d.as_f64().to_string(), |d| d.to_string())
        }
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn keep(rows: impl Iterator<Item = Vec<String>>) -> Result<Sheet> {
    let mut sheet = Sheet::default();
    for (i, row) in rows.enumerate() {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if sheet.rows.len() > MAX_ROWS {
            return Err(bad(
                format!("ตารางมีเกิน {MAX_ROWS} แถว"),
                format!("the sheet has more than {MAX_ROWS} rows"),
            ));
        }
        // No cell of a table holds more than the longest text a field takes.
        if let Some(c) = row
            .iter()
            .position(|c| c.chars().count() > crate::edit::MAX_TEXT_CHARS)
        {
            let max = crate::edit::MAX_TEXT_CHARS;
            return Err(bad(
                format!(
                    "แถวที่ {}, คอลัมน์ที่ {}: ข้อความยาวเกิน {max} ตัวอักษร",
                    i + 1,
                    c + 1
                ),
                format!(
                    "row {}, column {}: a text longer than {max} characters",
                    i + 1,
                    c + 1
                ),
            ));
        }
        sheet.rows.push((i + 1, row));
    }
    if sheet.rows.is_empty() {
        return Err(bad("ตารางว่าง ไม่มีข้อมูล", "the sheet is empty"));
    }
    Ok(sheet)
}

/// Reads an XLSX workbook's sheet: the one named `sheet`, else the first.
pub fn read_xlsx(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet> {
    use calamine::Reader;
    if bytes.len() > MAX_BYTES {
        return Err(bad("ไฟล์ใหญ่เกินกำหนด", "the file is over the size limit"));
    }
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| {
        bad(
            format!("ไม่ใช่ไฟล์ XLSX ที่อ่านได้: {e}"),
            format!("not a readable XLSX file: {e}"),
        )
    })?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.trim() == wanted)
            .cloned()
            .ok_or_else(|| {
                bad(
                    format!("ไม่พบแผ่นงาน \"{wanted}\""),
                    format!("no sheet \"{wanted}\""),
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| bad("ไม่มีแผ่นงาน", "the workbook has no sheet"))?,
    };
    let range = book.worksheet_range(&name).map_err(|e| {
        bad(
            format!("อ่านแผ่นงาน \"{name}\" ไม่ได้: {e}"),
            format!("cannot read sheet \"{name}\": {e}"),
        )
    })?;
    // Row numbers as the spreadsheet shows them, even when the used range starts lower.
    let first = range.start().map_or(0, |(r, _)| r as usize);
    let mut sheet = keep(range.rows().map(|r| r.iter().map(cell_text).collect()))?;
    for (n, _) in &mut sheet.rows {
        *n += first;
    }
    Ok(sheet)
}

/// Reads a CSV file (comma, or semicolon or tab when the header says so).
pub fn read_csv(bytes: &[u8]) -> Result<Sheet> {
    if bytes.len() > MAX_BYTES {
        return Err(bad("ไฟล์ใหญ่เกินกำหนด", "the file is over the size limit"));
    }
    let text = crate::thai::normalize_bytes(bytes)
        .map_err(|e| {
            bad(
                format!("อ่านข้อความไม่ได้: {e}"),
                format!("cannot read the text: {e}"),
            )
        })?
        .text;
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.matches(*d as char).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record =
            record.map_err(|e| bad(format!("CSV เสีย: {e}"), format!("broken CSV: {e}")))?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    keep(rows.into_iter())
}

/// Reads a spreadsheet by its file name: .xlsx or .csv.
pub fn read_sheet(file_name: &str, bytes: &[u8]) -> Result<Sheet> {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".xlsx") {
        read_xlsx(bytes, None)
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
        read_csv(bytes)
    } else {
        Err(bad(
            format!("{file_name}: ใช้ไฟล์ .xlsx หรือ .csv"),
            format!("{file_name}: give a .xlsx or .csv file"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_are_dates() {
        assert_eq!(excel_date(45016.0).unwrap().to_string(), "2023-03-31");
        assert_eq!(excel_date(25569.0).unwrap().to_string(), "1970-01-01");
        assert_eq!(excel_date(60.5).unwrap().to_string(), "1900-02-28");
        assert_eq!(excel_date(-3.0), None);
    }

    #[test]
    fn csv_with_bom_quotes_and_thai() {
        let csv = "\u{feff}พื้นที่,จังหวัด\r\n\"บางไส้ไก่, ธนบุรี\",กรุงเทพมหานคร\r\n,\r\nนาทอน,สตูล\r\n";
        let sheet = read_csv(csv.as_bytes()).unwrap();
        assert_eq!(sheet.header(), ["พื้นที่", "จังหวัด"]);
        assert_eq!(
            sheet.body()[0],
            (
                2,
                vec!["บางไส้ไก่, ธนบุรี".to_string(), "กรุงเทพมหานคร".to_string()]
            )
        );
        // The empty row is skipped but the next keeps its number.
        assert_eq!(sheet.body()[1].0, 4);
        assert!(read_csv(b"").is_err());
        assert!(read_sheet("x.pdf", b"%PDF").is_err());
    }

    #[test]
    fn semicolons_and_tabs_are_found() {
        let sheet = read_csv("a;b\n1;2\n".as_bytes()).unwrap();
        assert_eq!(sheet.body()[0].1, ["1", "2"]);
        let sheet = read_csv("a\tb\n1\t2\n".as_bytes()).unwrap();
        assert_eq!(sheet.body()[0].1, ["1", "2"]);
    }

    #[test]
    fn xlsx_written_by_rian_reads_back() {
        let rows = vec![
            vec!["พื้นที่".to_string(), "ผู้เข้าร่วม (คน)".to_string()],
            vec!["ธนบุรี".to_string(), "25".to_string()],
        ];
        let bytes = crate::export::xlsx(&[("เวที", &rows)]).unwrap();
        let sheet = read_xlsx(&bytes, Some("เวที")).unwrap();
        assert_eq!(sheet.header(), ["พื้นที่", "ผู้เข้าร่วม (คน)"]);
        assert_eq!(sheet.body()[0].1, ["ธนบุรี", "25"]);
        assert!(read_xlsx(&bytes, Some("ไม่มี")).is_err());
        assert!(read_xlsx(b"PK\x03\x04", None).is_err());
    }
}
