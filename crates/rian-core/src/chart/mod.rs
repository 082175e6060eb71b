//! SVG charts for the analyses (being written).
