//! EF.CVCA (BSI TR-03110-3 clause A.7.2.4, Table 16), both roles: the chip lists the CARs of
//! its trust points as data objects 42, the most recent first, zero-padded to 36 bytes; the
//! terminal reads them to choose its certificate chain.

use crate::error::{Error, Result};
use crate::tlv::{self, Tlv};

/// The size of EF.CVCA: room for two CAR data objects, zero-padded.
pub const EF_CVCA_LEN: usize = 36;

/// EF.CVCA's content for `cars` (the most recent first), zero-padded to [`EF_CVCA_LEN`].
pub fn encode(cars: &[&str]) -> Vec<u8> {
    let mut out: Vec<u8> = cars
        .iter()
        .flat_map(|car| tlv::encode(0x42, car.as_bytes()))
        .collect();
    if out.len() < EF_CVCA_LEN {
        out.resize(EF_CVCA_LEN, 0);
    }
    out
}

/// The CARs listed in EF.CVCA's content: data objects 42 until the padding. Whether each is a
/// valid certificate reference is for the caller to judge.
pub fn parse(content: &[u8]) -> Result<Vec<String>> {
    let mut cars = Vec::new();
    let mut rest = content;
    while let Some(&first) = rest.first() {
        if first == 0x00 {
            if rest.iter().any(|&b| b != 0) {
                return Err(Error::protocol("EF.CVCA", "data after the padding"));
            }
            break;
        }
        let (t, after) = Tlv::parse(rest).map_err(|e| Error::protocol("EF.CVCA", e.to_string()))?;
        if t.tag != 0x42 {
            return Err(Error::protocol(
                "EF.CVCA",
                format!("data object {:X} where a CAR (42) belongs", t.tag),
            ));
        }
        let car = String::from_utf8(t.value.to_vec())
            .map_err(|_| Error::protocol("EF.CVCA", "a CAR that is not text"))?;
        cars.push(car);
        rest = after;
    }
    Ok(cars)
}
