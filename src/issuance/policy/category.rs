//! Who is subject to dactyloscopic registration: the eight categories the law lists (persons
//! who have reached 16), each with its scope (citizens, foreigners, stateless persons), the
//! document the station issues for it, and the legal status of the person.

use serde::{Deserialize, Serialize};

/// A person's legal status; it decides who a category covers and what a refusal costs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalStatus {
    /// A citizen of the issuing state.
    #[default]
    Citizen,
    /// A foreign national.
    Foreigner,
    /// A stateless person.
    StatelessPerson,
}

impl LegalStatus {
    /// "citizen", "foreigner", "stateless person".
    pub fn describe(self) -> &'static str {
        match self {
            LegalStatus::Citizen => "citizen",
            LegalStatus::Foreigner => "foreigner",
            LegalStatus::StatelessPerson => "stateless person",
        }
    }
}

/// A document the issuing station may produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// The citizen's passport (a chip document).
    Passport,
    /// The citizen's national identity card (a chip document).
    NationalId,
    /// A seafarer's identity card.
    SeafarerIdentityCard,
    /// A residence permit card.
    ResidencePermitCard,
    /// A stateless person certificate.
    StatelessPersonCertificate,
    /// A refugee certificate.
    RefugeeCertificate,
}

impl DocumentKind {
    /// The documents whose chip stores the thumbprints by law: the citizen's passport and
    /// national ID ("an electronic code of papillary patterns will be recorded to biometric
    /// passports and national IDs of citizens"). Other chip documents are a station setting.
    pub const LAW_CHIP_DOCUMENTS: [DocumentKind; 2] =
        [DocumentKind::Passport, DocumentKind::NationalId];

    /// A readable name.
    pub fn describe(self) -> &'static str {
        match self {
            DocumentKind::Passport => "passport",
            DocumentKind::NationalId => "national identity card",
            DocumentKind::SeafarerIdentityCard => "seafarer's identity card",
            DocumentKind::ResidencePermitCard => "residence permit card",
            DocumentKind::StatelessPersonCertificate => "stateless person certificate",
            DocumentKind::RefugeeCertificate => "refugee certificate",
        }
    }
}

/// Why a person is enrolled. Each variant belongs to one of the law's eight categories
/// ([`ApplicantCategory::law_category`]); some categories have more than one variant because
/// they issue different documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantCategory {
    /// Category 1: a citizen applying for a passport.
    CitizenPassport,
    /// Category 1: a citizen applying for a national identity card.
    CitizenNationalId,
    /// Category 2: a citizen, foreigner or stateless person in respect of whom a decision was
    /// made to issue a seafarer's identity card.
    SeafarerIdentityCard,
    /// Category 3: a foreigner or stateless person residing permanently in the country.
    PermanentResident,
    /// Category 4: a foreigner or stateless person applying for a residence permit.
    ResidencePermit,
    /// Category 4: a foreigner or stateless person applying for a stateless person
    /// certificate.
    StatelessPersonCertificate,
    /// Category 4: a foreigner or stateless person applying for a refugee certificate.
    RefugeeCertificate,
    /// Category 5: an immigrant who arrived as a domestic worker for a household.
    ImmigrantDomesticWorker,
    /// Category 6: a foreigner or stateless person subject to expulsion or within a
    /// readmission agreement.
    ExpulsionOrReadmission,
    /// Category 7: a foreigner or stateless person obtaining a visa.
    VisaApplicant,
    /// Category 8: a foreigner or stateless person crossing the state border.
    BorderCrossing,
}

/// Who a category covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Anyone the category's text names, citizens included.
    Anyone,
    /// Citizens only.
    CitizensOnly,
    /// Foreigners and stateless persons only.
    NonCitizensOnly,
}

impl ApplicantCategory {
    /// Every variant.
    pub const ALL: [ApplicantCategory; 11] = [
        ApplicantCategory::CitizenPassport,
        ApplicantCategory::CitizenNationalId,
        ApplicantCategory::SeafarerIdentityCard,
        ApplicantCategory::PermanentResident,
        ApplicantCategory::ResidencePermit,
        ApplicantCategory::StatelessPersonCertificate,
        ApplicantCategory::RefugeeCertificate,
        ApplicantCategory::ImmigrantDomesticWorker,
        ApplicantCategory::ExpulsionOrReadmission,
        ApplicantCategory::VisaApplicant,
        ApplicantCategory::BorderCrossing,
    ];

    /// The number (1 to 8) of the law's category this variant belongs to.
    pub fn law_category(self) -> u8 {
        use ApplicantCategory::*;
        match self {
            CitizenPassport | CitizenNationalId => 1,
            SeafarerIdentityCard => 2,
            PermanentResident => 3,
            ResidencePermit | StatelessPersonCertificate | RefugeeCertificate => 4,
            ImmigrantDomesticWorker => 5,
            ExpulsionOrReadmission => 6,
            VisaApplicant => 7,
            BorderCrossing => 8,
        }
    }

    /// Who the category covers, as its text says.
    ///
    /// Category 5 speaks of "immigrants" without naming foreigners and stateless persons; an
    /// immigrant is read as a person who is not a citizen (assumption
    /// `immigrant-is-non-citizen`).
    pub fn scope(self) -> Scope {
        use ApplicantCategory::*;
        match self {
            CitizenPassport | CitizenNationalId => Scope::CitizensOnly,
            SeafarerIdentityCard => Scope::Anyone,
            _ => Scope::NonCitizensOnly,
        }
    }

    /// The document the station issues for this variant, if any. Categories 3 and 5 to 8 are
    /// registered in the national database without a document from the station (a visa is a
    /// sticker in a foreign passport).
    pub fn document(self) -> Option<DocumentKind> {
        use ApplicantCategory::*;
        match self {
            CitizenPassport => Some(DocumentKind::Passport),
            CitizenNationalId => Some(DocumentKind::NationalId),
            SeafarerIdentityCard => Some(DocumentKind::SeafarerIdentityCard),
            ResidencePermit => Some(DocumentKind::ResidencePermitCard),
            StatelessPersonCertificate => Some(DocumentKind::StatelessPersonCertificate),
            RefugeeCertificate => Some(DocumentKind::RefugeeCertificate),
            PermanentResident
            | ImmigrantDomesticWorker
            | ExpulsionOrReadmission
            | VisaApplicant
            | BorderCrossing => None,
        }
    }

    /// A readable description.
    pub fn describe(self) -> &'static str {
        use ApplicantCategory::*;
        match self {
            CitizenPassport => "citizen applying for a passport",
            CitizenNationalId => "citizen applying for a national ID card",
            SeafarerIdentityCard => "person to be issued a seafarer's identity card",
            PermanentResident => "foreigner or stateless person residing permanently",
            ResidencePermit => "foreigner or stateless person applying for a residence permit",
            StatelessPersonCertificate => "applicant for a stateless person certificate",
            RefugeeCertificate => "applicant for a refugee certificate",
            ImmigrantDomesticWorker => "immigrant who arrived as a domestic worker",
            ExpulsionOrReadmission => "person subject to expulsion or readmission",
            VisaApplicant => "foreigner or stateless person obtaining a visa",
            BorderCrossing => "foreigner or stateless person crossing the state border",
        }
    }
}
