//! MRZ
