//! Terminal Authentication version 1 (BSI TR-03110-1 v2.2 clause 3.5, TR-03110-3 clause B.11;
//! ICAO Doc 9303-11 clause 7.1, Extended Access Control), both roles, as passports run it after
//! Chip Authentication or PACE-CAM: the terminal sends its certificate chain (MSE:Set DST +
//! PSO:Verify Certificate per certificate), selects its key (MSE:Set AT), asks for a challenge
//! (GET CHALLENGE) and proves its key with EXTERNAL AUTHENTICATE: a signature over
//! `ID_PICC || r_PICC || Comp(PK~_PCD)` ([`binding`]). The chip grants the chain's effective
//! rights (read DG3, DG4) to the secure messaging session of that ephemeral key.

pub mod binding;
pub mod chain;
pub mod chip;
pub mod ef_cvca;

pub use binding::{Binding, ChipIdentifier, TaBinding, compress};
pub use chain::{choose_chain, choose_chain_on};
pub use chip::{AccessRights, TaChip};
pub use ef_cvca::{encode as encode_ef_cvca, parse as parse_ef_cvca};

use super::cvc::{CvSigningKey, Cvc};
use crate::apdu::{Command, Response, sw};
use crate::error::{Error, Result};
use crate::iso7816::challenge::{CHALLENGE_LEN, external_authenticate, get_challenge};
use crate::iso7816::mse::Mse;
use crate::iso7816::pso;
use crate::lds::mrz::MrzKeyInfo;
use crate::tlv::Tlv;

/// The status a chip answers to a Terminal Authentication signature that does not verify
/// (TR-03110-3 clause B.11.6: "verification failed"); the terminal tries its next `ID_PICC`.
pub const SIGNATURE_FAILED: u16 = sw::VERIFICATION_FAILED;

fn err(reason: impl Into<String>) -> Error {
    Error::protocol("TA", reason)
}

/// The static ID_PICC: the document number (at least 9 characters, `<`-filled) and its check
/// digit, as after BAC.
pub fn id_picc(mrz: &MrzKeyInfo) -> Vec<u8> {
    let seed = mrz.key_seed_string(); // zeroized on drop
    // The seed is number || cd || birth date || cd || expiry || cd; the last 14 are the dates.
    seed.as_bytes()[..seed.len().saturating_sub(14)].to_vec()
}

/// The PSO:Verify Certificate data: the certificate's body and signature (7F21's content).
fn certificate_content(cert: &Cvc) -> Result<Vec<u8>> {
    Ok(Tlv::parse_tagged(cert.raw(), 0x7F21)?.value.to_vec())
}

/// Terminal side: presents `chain` (link CVCA certificates if needed, the DV, the IS) and
/// proves the IS key by signing `binding`'s message for the chip's challenge, with the
/// algorithm the IS certificate names. `transmit` applies the current secure messaging.
/// Returns the signed message (for the report).
pub fn terminal_authentication(
    transmit: &mut dyn FnMut(&Command) -> Result<Response>,
    chain: &[Cvc],
    is_key: &CvSigningKey,
    binding: &TaBinding,
) -> Result<Vec<u8>> {
    let holder = chain.last().ok_or_else(|| err("empty certificate chain"))?;
    let expect_ok = |resp: Response, step: &str| -> Result<Response> {
        if resp.sw == sw::OK {
            Ok(resp)
        } else {
            Err(Error::status(format!("TA: {step}"), resp.sw))
        }
    };
    for cert in chain {
        let dst = Mse::ta_set_dst(cert.car()).to_command();
        expect_ok(transmit(&dst)?, &format!("MSE:Set DST {}", cert.car()))?;
        let verify = pso::verify_certificate(&certificate_content(cert)?);
        expect_ok(
            transmit(&verify)?,
            &format!("PSO:Verify Certificate {}", cert.chr()),
        )?;
    }
    let at = Mse::ta_set_at(holder.chr()).to_command();
    expect_ok(transmit(&at)?, "MSE:Set AT")?;
    let challenge = expect_ok(transmit(&get_challenge(CHALLENGE_LEN))?, "GET CHALLENGE")?;
    if challenge.data.len() != CHALLENGE_LEN {
        return Err(err(format!("challenge of {} bytes", challenge.data.len())));
    }
    let message = binding.message(&challenge.data);
    // The algorithm the IS certificate names, whatever the key would choose by itself (an RSA
    // key read from PKCS#8 may be certified for PKCS#1 v1.5 as well as for PSS).
    let signature = is_key.sign_as(holder.body().public_key.algorithm, &message)?;
    let ext = external_authenticate(&signature, None);
    expect_ok(transmit(&ext)?, "EXTERNAL AUTHENTICATE")?;
    Ok(message)
}
