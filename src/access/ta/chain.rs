//! The terminal's choice of certificate chain (BSI TR-03110-3 clause 2.4 and A.7.2.4): the chip
//! names its trust points in EF.CVCA (the most recent first); the terminal sends the chain
//! that starts at one of them: the DV certificate that CVCA issued, or CVCA link certificates
//! first when the chip still trusts an older CVCA key, then its own (IS) certificate.

use crate::access::cvc::{Cvc, Role};
use crate::error::{Error, Result};

/// The longest chain tried: link certificates are issued every few years.
const MAX_CHAIN: usize = 6;

/// From `certificates` (any CVCA link certificates and DV certificates the terminal holds,
/// and its IS certificate), the chain from the first trust point in `trust_points` (CARs
/// from EF.CVCA, most recent first) that reaches the IS certificate, with that trust point.
pub fn choose_chain(trust_points: &[String], certificates: &[Cvc]) -> Result<(String, Vec<Cvc>)> {
    let terminal = certificates
        .iter()
        .rev()
        .find(|c| c.role() == Role::Terminal)
        .ok_or_else(|| Error::protocol("TA", "no inspection system certificate in the chain"))?;
    for tp in trust_points {
        if let Some(path) = path_from(tp, terminal, certificates) {
            return Ok((tp.clone(), path));
        }
    }
    let held: Vec<&str> = certificates
        .iter()
        .filter(|c| c.role() != Role::Terminal)
        .map(|c| c.car())
        .collect();
    Err(Error::protocol(
        "TA",
        format!(
            "the chip trusts {} (EF.CVCA); the terminal's certificates start at {}: \
             no chain links them (a link certificate or a DV certificate of that CVCA is missing)",
            trust_points.join(", "),
            held.join(", ")
        ),
    ))
}

/// A shortest path trust point -> ... -> the terminal certificate, by CAR = issuer's CHR.
fn path_from(trust_point: &str, terminal: &Cvc, certs: &[Cvc]) -> Option<Vec<Cvc>> {
    // Breadth-first over issuers' CHRs; each entry holds the path that reached it.
    let mut frontier: Vec<(String, Vec<Cvc>)> = vec![(trust_point.to_string(), Vec::new())];
    for _ in 0..MAX_CHAIN {
        let mut next = Vec::new();
        for (holder, path) in &frontier {
            if terminal.car() == holder && !path.is_empty() {
                let mut full = path.clone();
                full.push(terminal.clone());
                return Some(full);
            }
            for c in certs
                .iter()
                .filter(|c| c.car() == holder && c.role() != Role::Terminal && c.chr() != c.car())
            {
                if path.iter().any(|p| p.chr() == c.chr()) {
                    continue;
                }
                let mut p = path.clone();
                p.push(c.clone());
                next.push((c.chr().to_string(), p));
            }
        }
        if next.is_empty() {
            return None;
        }
        frontier = next;
    }
    None
}
