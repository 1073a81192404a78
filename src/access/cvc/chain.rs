//! A CVCA -> DV -> terminal chain walked to the terminal's effective rights (BSI TR-03110-3
//! clause 2.5 and C.4): each certificate issued by the role above it, signed by its issuer's
//! key, valid on the date given; the rights are the AND of the CHAT templates.

use super::{Chat, Cvc, Role, err};
use crate::error::Result;
use crate::time::Date;

/// What a verified chain grants its last holder.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ChainReport {
    /// CHRs from the CVCA to the holder.
    pub path: Vec<String>,
    /// The last certificate's CHR.
    pub holder: String,
    /// Its role.
    pub role: Role,
    /// The terminal type of its CHAT (dotted OID).
    pub terminal_type: String,
    /// The effective rights: the AND of the templates, role bits cleared.
    pub effective_rights: Vec<u8>,
    /// Effective read access to DG3 (an id-IS chain).
    pub read_dg3: bool,
    /// Effective read access to DG4.
    pub read_dg4: bool,
    /// Observations that do not fail the chain.
    pub notes: Vec<String>,
}

/// Verifies `chain` (link CVCA certificates, a DV, a terminal; at least one certificate) under
/// the trusted `cvca` on `date`, and computes the holder's effective rights.
pub fn verify_chain(cvca: &Cvc, chain: &[Cvc], date: Date) -> Result<ChainReport> {
    let mut notes = Vec::new();
    let mut domain = cvca.domain();
    if cvca.role() != Role::Cvca {
        return Err(err(format!("trust anchor {} is not a CVCA", cvca.chr())));
    }
    if cvca.body.public_key.algorithm.is_ec() && domain.is_none() {
        return Err(err(format!(
            "CVCA {} has no EC domain parameters",
            cvca.chr()
        )));
    }
    if cvca.is_self_signed() {
        cvca.verify_with(cvca, domain)?;
    } else {
        notes.push(format!(
            "trust anchor {} is a link certificate, taken as given",
            cvca.chr()
        ));
    }
    cvca.check_date(date)?;
    let Some(last) = chain.last() else {
        return Err(err("empty chain: give at least the DV certificate"));
    };
    let mut issuer = cvca;
    for cert in chain {
        let allowed = match issuer.role() {
            Role::Cvca => cert.role() != Role::Terminal,
            Role::DvDomestic | Role::DvForeign => cert.role() == Role::Terminal,
            Role::Terminal => false,
        };
        if !allowed {
            let (r, ir) = (cert.role(), issuer.role());
            let (c, i) = (cert.chr(), issuer.chr());
            return Err(err(format!("{c} ({r:?}) cannot be issued by {i} ({ir:?})")));
        }
        cert.verify_with(issuer, domain)?;
        cert.check_date(date)?;
        domain = cert.domain().or(domain);
        issuer = cert;
    }
    let all: Vec<&Cvc> = std::iter::once(cvca).chain(chain).collect();
    let holder = &last.body.chat;
    let same = all.iter().map(|c| &c.body.chat).all(|c| {
        c.terminal_type == holder.terminal_type && c.template.len() == holder.template.len()
    });
    let effective_rights = if same {
        all.iter().fold(holder.rights(), |acc, c| {
            acc.iter()
                .zip(c.body.chat.rights())
                .map(|(a, b)| a & b)
                .collect()
        })
    } else {
        notes.push("CHATs name different terminal types or sizes: no rights granted".into());
        vec![0; holder.template.len()]
    };
    let effective = Chat {
        terminal_type: holder.terminal_type,
        template: effective_rights.clone(),
    };
    Ok(ChainReport {
        path: all.iter().map(|c| c.body.chr.clone()).collect(),
        holder: last.body.chr.clone(),
        role: last.role(),
        terminal_type: holder.terminal_type.to_string(),
        read_dg3: effective.reads_dg3(),
        read_dg4: effective.reads_dg4(),
        effective_rights,
        notes,
    })
}
