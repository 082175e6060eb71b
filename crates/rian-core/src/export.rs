//! Tables out of rian as files a spreadsheet opens: CSV (UTF-8 with a byte-order mark,
//! so that Excel reads Thai) and XLSX. The analyses hand over rows of text; a cell that
//! is a whole number is written to XLSX as a number.

use crate::{Error, Result};

/// One CSV record (RFC 4180): fields quoted when they hold a comma, quote or line end.
/// A field a spreadsheet would run as a formula (=, +, -, @) is prefixed with '.
pub fn csv_row(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let f = if f.starts_with(['=', '+', '-', '@']) {
            format!("'{f}")
        } else {
            f
        };
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&f);
        }
    }
    out.push_str("\r\n");
}

/// A whole table as CSV, with the byte-order mark.
pub fn csv(rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    for row in rows {
        csv_row(&mut out, row.iter().cloned());
    }
    out
}

/// Sheets as an XLSX workbook: each a name and rows, the first row a header (bold,
/// frozen). Text is never read as a formula.
pub fn xlsx(sheets: &[(&str, &[Vec<String>])]) -> Result<Vec<u8>> {
    workbook(sheets, true)
}

/// As [`xlsx`], every cell kept as text (a form's choice names, codes with leading zeros).
pub fn xlsx_text(sheets: &[(&str, &[Vec<String>])]) -> Result<Vec<u8>> {
    workbook(sheets, false)
}

fn workbook(sheets: &[(&str, &[Vec<String>])], numbers: bool) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| Error::Export(e.to_string());
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        // Sheet names: at most 31 characters, none of []:*?/\
        let clean: String = name
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        sheet
            .set_name(if clean.is_empty() { "Sheet" } else { &clean })
            .map_err(fail)?;
        let mut widths: Vec<usize> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let (r32, c16) = (r as u32, c as u16);
                if r == 0 {
                    sheet
                        .write_string_with_format(r32, c16, value, &bold)
                        .map_err(fail)?;
                } else if let Some(n) = value.parse::<i64>().ok().filter(|_| numbers) {
                    sheet.write_number(r32, c16, n as f64).map_err(fail)?;
                } else if value.contains('\n') {
                    sheet
                        .write_string_with_format(r32, c16, value, &wrap)
                        .map_err(fail)?;
                } else {
                    sheet.write_string(r32, c16, value).map_err(fail)?;
                }
                if widths.len() <= c {
                    widths.resize(c + 1, 0);
                }
                widths[c] = widths[c].max(value.chars().count());
            }
        }
        for (c, w) in widths.iter().enumerate() {
            sheet
                .set_column_width(c as u16, (*w).clamp(6, 60) as f64)
                .map_err(fail)?;
        }
        if !rows.is_empty() {
            sheet.set_freeze_panes(1, 1).map_err(fail)?;
        }
    }
    book.save_to_buffer().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn rows() -> Vec<Vec<String>> {
        vec![
            vec!["พื้นที่".into(), "1 ข้อมูลทั่วไปของชุมชน".into()],
            vec!["เขตธนบุรี".into(), "12".into()],
            vec!["=cmd()".into(), "a,\"b\"".into()],
        ]
    }

    #[test]
    fn csv_has_a_bom_quotes_and_no_formulas() {
        let out = csv(&rows());
        assert!(out.starts_with('\u{feff}'));
        assert!(out.contains("พื้นที่,1 ข้อมูลทั่วไปของชุมชน\r\n"));
        assert!(out.contains("'=cmd(),\"a,\"\"b\"\"\"\r\n"));
    }

    #[test]
    fn xlsx_holds_thai_text_and_numbers() {
        let bytes = xlsx(&[("ตาราง", &rows())]).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut shared = String::new();
        zip.by_name("xl/sharedStrings.xml")
            .unwrap()
            .read_to_string(&mut shared)
            .unwrap();
        assert!(shared.contains("เขตธนบุรี"));
        assert!(shared.contains("=cmd()"));
        let mut sheet = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut sheet)
            .unwrap();
        assert!(sheet.contains("<v>12</v>"), "12 is a number: {sheet}");
        assert!(!sheet.contains("<f>"), "no formulas");
        let mut book = String::new();
        zip.by_name("xl/workbook.xml")
            .unwrap()
            .read_to_string(&mut book)
            .unwrap();
        assert!(book.contains("name=\"ตาราง\""));
    }
}
