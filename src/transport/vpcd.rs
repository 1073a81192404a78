//! vpcd
