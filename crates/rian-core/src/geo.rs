//! Thailand's province boundaries (being written).
