//! The cross-site synthesis (being written).
