//! What a chip image must hold together before it becomes a chip, so a virtual chip never
//! advertises a protocol it cannot run or serves what a real chip protects:
//! - DG14's Chip Authentication public key (ICAO Doc 9303-11 clause 6.2) and DG15's Active
//!   Authentication key (clause 6.1) belong to keys the image configures, and an ECDSA Active
//!   Authentication key is announced with an ActiveAuthenticationInfo (clause 9.2.9);
//! - DG3 and DG4 (fingerprints, irises) are readable only after Terminal Authentication (BSI
//!   TR-03110-1 clause 3, 9303-11 clause 7.1), unless the image opts out by the loudly named
//!   `insecure_biometrics_without_eac`, which the emulator announces when it starts.

use super::chip::VirtualChip;
use crate::error::{Error, Result};
use crate::lds::dg15::Dg15;
use crate::lds::files::EfId;
use crate::lds::security_infos::{CaPublicKey, dg14};

/// What the emulator says when it starts a chip built with the opt-out.
pub const BIOMETRICS_WITHOUT_EAC_WARNING: &str = "WARNING: this chip serves fingerprints/irises (DG3/DG4) without Extended Access Control, to anyone who knows the MRZ (insecure_biometrics_without_eac)";

fn refuse(msg: impl Into<String>) -> Error {
    Error::ChipImage(msg.into())
}

/// Checks a chip built from an image; `biometrics_without_eac` is the image's opt-out.
pub(super) fn check_chip(chip: &VirtualChip, biometrics_without_eac: bool) -> Result<()> {
    check_ca_key(chip)?;
    check_aa_key(chip)?;
    let biometric = [3u8, 4]
        .into_iter()
        .filter(|&n| chip.fs.get(EfId::Dg(n)).is_some())
        .map(|n| format!("DG{n}"))
        .collect::<Vec<_>>();
    if chip.ta.is_none() && !biometric.is_empty() && !biometrics_without_eac {
        return Err(refuse(format!(
            "the image holds {} but no \"eac\" section: the chip would serve biometrics to anyone \
             with the MRZ; add Extended Access Control (\"eac\": {{\"cvca\": ...}}) or, for a test \
             chip only, set \"insecure_biometrics_without_eac\": true",
            biometric.join(" and ")
        )));
    }
    Ok(())
}

fn check_ca_key(chip: &VirtualChip) -> Result<()> {
    let Some(bytes) = chip.fs.get(EfId::Dg(14)) else {
        return Ok(());
    };
    let infos = dg14(bytes).map_err(|e| refuse(format!("DG14: {e}")))?;
    let advertised: Vec<&CaPublicKey> = infos.ca_public_keys().map(|k| &k.key.key).collect();
    if advertised.is_empty() {
        return Ok(());
    }
    let Some(ca) = &chip.ca else {
        return Err(refuse(
            "DG14 advertises a Chip Authentication key but the image configures none \
             (\"chip_authentication\"): the chip could not run the protocol it announces",
        ));
    };
    let configured = ca.public_key();
    let found = advertised.iter().any(|k| match k {
        CaPublicKey::Ec { point, .. } => point.as_slice() == configured,
        CaPublicKey::Dh { y, .. } => y.as_slice() == configured,
    });
    if !found {
        return Err(refuse(
            "DG14's Chip Authentication public key is not the key \"chip_authentication\" configures",
        ));
    }
    Ok(())
}

fn check_aa_key(chip: &VirtualChip) -> Result<()> {
    let Some(bytes) = chip.fs.get(EfId::Dg(15)) else {
        return Ok(());
    };
    let advertised = Dg15::parse(bytes).map_err(|e| refuse(format!("DG15: {e}")))?;
    let Some(aa) = &chip.aa else {
        return Err(refuse(
            "DG15 advertises an Active Authentication key but the image configures none \
             (\"active_authentication\"): the chip could not run the protocol it announces",
        ));
    };
    if aa.public_key()? != advertised.key {
        return Err(refuse(
            "DG15's public key is not the key \"active_authentication\" configures",
        ));
    }
    // 9303-11 clause 9.2.9: an ECDSA key needs an ActiveAuthenticationInfo in DG14.
    let announced = chip
        .fs
        .get(EfId::Dg(14))
        .and_then(|b| dg14(b).ok())
        .is_some_and(|i| i.aa_info().is_some());
    if matches!(aa, crate::access::aa::AaKey::Ec { .. }) && !announced {
        return Err(refuse(
            "an ECDSA Active Authentication key needs an ActiveAuthenticationInfo in DG14 \
             (ICAO 9303-11 9.2.9); leave DG14 out to have it built",
        ));
    }
    Ok(())
}
