//! Any bytes given as a spreadsheet (CSV or XLSX) of sites, a forum schedule or field-form
//! submissions: read or refused, never a panic; a sheet read keeps its rows in order and
//! no cell past the field limit.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rian_core::exchange::{schedule, sheets};

fuzz_target!(|bytes: &[u8]| {
    for name in ["x.csv", "x.xlsx"] {
        if let Ok(sheet) = sheets::read_sheet(name, bytes) {
            let mut last = 0;
            for (n, row) in sheet.body() {
                assert!(*n > last);
                last = *n;
                assert!(row.iter().all(|c| c.chars().count() <= rian_core::edit::MAX_TEXT_CHARS));
            }
            let _ = schedule::read_sites(&sheet);
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        // Dates as people type them in a sheet: a day read is a day that exists.
        if let Some(d) = schedule::read_date(text) {
            assert!(rian_core::model::IsoDate::parse(&d.to_string()).is_some());
        }
    }
});
