//! The standardized domain parameters of ICAO Doc 9303-11 clause 9.5.1 and BSI TR-03110-3
//! clause A.2.1.1: parameter ids 0-2 for the RFC 5114 MODP groups, 8-18 for named curves.

use super::ec::Curve;
use crate::oids::{DhGroup, KeyAgreement};

/// The standardized domain parameters of ICAO Doc 9303-11 clause 9.5.1 / TR-03110-3 A.2.1.1
/// (ids 3-7 are reserved, 19-31 RFU).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum StandardizedDomainParameters {
    /// Ids 0-2: a MODP group.
    Dh(DhGroup),
    /// Ids 8-18: a named curve.
    Ec(Curve),
}

impl StandardizedDomainParameters {
    /// The parameters with `id`, if defined.
    pub fn from_id(id: u64) -> Option<StandardizedDomainParameters> {
        match id {
            0 => Some(Self::Dh(DhGroup::Modp1024_160)),
            1 => Some(Self::Dh(DhGroup::Modp2048_224)),
            2 => Some(Self::Dh(DhGroup::Modp2048_256)),
            _ => Curve::from_pace_parameter_id(u8::try_from(id).ok()?).map(Self::Ec),
        }
    }

    /// The id.
    pub fn id(&self) -> u8 {
        match self {
            Self::Dh(g) => g.id(),
            Self::Ec(c) => c.pace_parameter_id(),
        }
    }

    /// DH or ECDH.
    pub fn agreement(&self) -> KeyAgreement {
        match self {
            Self::Dh(_) => KeyAgreement::Dh,
            Self::Ec(_) => KeyAgreement::Ecdh,
        }
    }

    /// The curve, for ids 8-18.
    pub fn curve(&self) -> Option<Curve> {
        match self {
            Self::Ec(c) => Some(*c),
            Self::Dh(_) => None,
        }
    }
}
