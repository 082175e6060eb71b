//! Plain-text tables that line up in a terminal, Thai included.

/// Columns a string takes in a terminal: Thai above/below marks take none.
pub fn width(s: &str) -> usize {
    s.chars()
        .filter(|&c| !matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}'))
        .count()
}

/// Renders rows under a header, columns separated by two spaces.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let last = row.len().saturating_sub(1);
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i < last {
                out.push_str(&" ".repeat(widths[i] - width(cell) + 2));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_marks_take_no_column() {
        assert_eq!(width("ที่"), 1);
        assert_eq!(width("น้ำ"), 2);
        assert_eq!(width("ท่าหมื่นราม"), 8);
    }

    #[test]
    fn columns_line_up() {
        let out = render(&["a", "b"], &[vec!["ท่าหมื่นราม".into(), "x".into()]]);
        let lines: Vec<_> = out.lines().collect();
        assert_eq!(lines[0], "a         b");
        assert_eq!(width(lines[1]), width(lines[0]));
    }
}
