//! Dates in Thai text. (Placeholder: the parser lands with the Thai text engine.)
