//! ICAO Doc 9303-3 clause 5 nationality and issuing state codes, mapped to the ISO 3166-1
//! alpha-2 codes that CSCA and Document Signer certificates carry in their country (`C`)
//! attribute (ICAO Doc 9303-12 clause 7.1.1).
//!
//! The MRZ uses ISO 3166-1 alpha-3 codes with a few ICAO exceptions:
//!
//! - `D` (written `D<<`) is Germany, alpha-2 `DE`;
//! - `GBD`, `GBN`, `GBO`, `GBP`, `GBS` are British nationality classes, all issued by `GB`;
//! - `RKS` is Kosovo, the user-assigned `XK` that Kosovo's certificates use;
//! - `EUE` (European Union), `UNO`, `UNA`, `UNK` (United Nations and its agencies, UNMIK for
//!   Kosovo), the `X..` organisation codes (e.g. `XPO` Interpol, `XOM` Order of Malta) and `XXA`,
//!   `XXB`, `XXC`, `XXX` (stateless, refugees, unspecified) name no single country: `None`;
//! - `UTO` is Utopia, the fictional state of the ICAO specimens and of many test documents. It has
//!   no ISO country, so it maps to `None` as well: callers that accept test PKIs must treat it
//!   specially (e.g. by comparing the MRZ code with the certificate itself), never by pretending
//!   it is a real country.
//!
//! The table is the full ISO 3166-1 list (249 entries, from Debian's iso-codes).

/// ISO 3166-1 alpha-3 to alpha-2, sorted by alpha-3 for binary search.
const ALPHA3_TO_ALPHA2: &[(&str, &str)] = &[
    ("ABW", "AW"), // Aruba
    ("AFG", "AF"), // Afghanistan
    ("AGO", "AO"), // Angola
    ("AIA", "AI"), // Anguilla
    ("ALA", "AX"), // Åland Islands
    ("ALB", "AL"), // Albania
    ("AND", "AD"), // Andorra
    ("ARE", "AE"), // United Arab Emirates
    ("ARG", "AR"), // Argentina
    ("ARM", "AM"), // Armenia
    ("ASM", "AS"), // American Samoa
    ("ATA", "AQ"), // Antarctica
    ("ATF", "TF"), // French Southern Territories
    ("ATG", "AG"), // Antigua and Barbuda
    ("AUS", "AU"), // Australia
    ("AUT", "AT"), // Austria
    ("AZE", "AZ"), // Azerbaijan
    ("BDI", "BI"), // Burundi
    ("BEL", "BE"), // Belgium
    ("BEN", "BJ"), // Benin
    ("BES", "BQ"), // Bonaire, Sint Eustatius and Saba
    ("BFA", "BF"), // Burkina Faso
    ("BGD", "BD"), // Bangladesh
    ("BGR", "BG"), // Bulgaria
    ("BHR", "BH"), // Bahrain
    ("BHS", "BS"), // Bahamas
    ("BIH", "BA"), // Bosnia and Herzegovina
    ("BLM", "BL"), // Saint Barthélemy
    ("BLR", "BY"), // Belarus
    ("BLZ", "BZ"), // Belize
    ("BMU", "BM"), // Bermuda
    ("BOL", "BO"), // Bolivia
    ("BRA", "BR"), // Brazil
    ("BRB", "BB"), // Barbados
    ("BRN", "BN"), // Brunei Darussalam
    ("BTN", "BT"), // Bhutan
    ("BVT", "BV"), // Bouvet Island
    ("BWA", "BW"), // Botswana
    ("CAF", "CF"), // Central African Republic
    ("CAN", "CA"), // Canada
    ("CCK", "CC"), // Cocos (Keeling) Islands
    ("CHE", "CH"), // Switzerland
    ("CHL", "CL"), // Chile
    ("CHN", "CN"), // China
    ("CIV", "CI"), // Côte d'Ivoire
    ("CMR", "CM"), // Cameroon
    ("COD", "CD"), // Congo, The Democratic Republic of the
    ("COG", "CG"), // Congo
    ("COK", "CK"), // Cook Islands
    ("COL", "CO"), // Colombia
    ("COM", "KM"), // Comoros
    ("CPV", "CV"), // Cabo Verde
    ("CRI", "CR"), // Costa Rica
    ("CUB", "CU"), // Cuba
    ("CUW", "CW"), // Curaçao
    ("CXR", "CX"), // Christmas Island
    ("CYM", "KY"), // Cayman Islands
    ("CYP", "CY"), // Cyprus
    ("CZE", "CZ"), // Czechia
    ("DEU", "DE"), // Germany
    ("DJI", "DJ"), // Djibouti
    ("DMA", "DM"), // Dominica
    ("DNK", "DK"), // Denmark
    ("DOM", "DO"), // Dominican Republic
    ("DZA", "DZ"), // Algeria
    ("ECU", "EC"), // Ecuador
    ("EGY", "EG"), // Egypt
    ("ERI", "ER"), // Eritrea
    ("ESH", "EH"), // Western Sahara
    ("ESP", "ES"), // Spain
    ("EST", "EE"), // Estonia
    ("ETH", "ET"), // Ethiopia
    ("FIN", "FI"), // Finland
    ("FJI", "FJ"), // Fiji
    ("FLK", "FK"), // Falkland Islands (Malvinas)
    ("FRA", "FR"), // France
    ("FRO", "FO"), // Faroe Islands
    ("FSM", "FM"), // Micronesia, Federated States of
    ("GAB", "GA"), // Gabon
    ("GBR", "GB"), // United Kingdom
    ("GEO", "GE"), // Georgia
    ("GGY", "GG"), // Guernsey
    ("GHA", "GH"), // Ghana
    ("GIB", "GI"), // Gibraltar
    ("GIN", "GN"), // Guinea
    ("GLP", "GP"), // Guadeloupe
    ("GMB", "GM"), // Gambia
    ("GNB", "GW"), // Guinea-Bissau
    ("GNQ", "GQ"), // Equatorial Guinea
    ("GRC", "GR"), // Greece
    ("GRD", "GD"), // Grenada
    ("GRL", "GL"), // Greenland
    ("GTM", "GT"), // Guatemala
    ("GUF", "GF"), // French Guiana
    ("GUM", "GU"), // Guam
    ("GUY", "GY"), // Guyana
    ("HKG", "HK"), // Hong Kong
    ("HMD", "HM"), // Heard Island and McDonald Islands
    ("HND", "HN"), // Honduras
    ("HRV", "HR"), // Croatia
    ("HTI", "HT"), // Haiti
    ("HUN", "HU"), // Hungary
    ("IDN", "ID"), // Indonesia
    ("IMN", "IM"), // Isle of Man
    ("IND", "IN"), // India
    ("IOT", "IO"), // British Indian Ocean Territory
    ("IRL", "IE"), // Ireland
    ("IRN", "IR"), // Iran
    ("IRQ", "IQ"), // Iraq
    ("ISL", "IS"), // Iceland
    ("ISR", "IL"), // Israel
    ("ITA", "IT"), // Italy
    ("JAM", "JM"), // Jamaica
    ("JEY", "JE"), // Jersey
    ("JOR", "JO"), // Jordan
    ("JPN", "JP"), // Japan
    ("KAZ", "KZ"), // Kazakhstan
    ("KEN", "KE"), // Kenya
    ("KGZ", "KG"), // Kyrgyzstan
    ("KHM", "KH"), // Cambodia
    ("KIR", "KI"), // Kiribati
    ("KNA", "KN"), // Saint Kitts and Nevis
    ("KOR", "KR"), // South Korea
    ("KWT", "KW"), // Kuwait
    ("LAO", "LA"), // Laos
    ("LBN", "LB"), // Lebanon
    ("LBR", "LR"), // Liberia
    ("LBY", "LY"), // Libya
    ("LCA", "LC"), // Saint Lucia
    ("LIE", "LI"), // Liechtenstein
    ("LKA", "LK"), // Sri Lanka
    ("LSO", "LS"), // Lesotho
    ("LTU", "LT"), // Lithuania
    ("LUX", "LU"), // Luxembourg
    ("LVA", "LV"), // Latvia
    ("MAC", "MO"), // Macao
    ("MAF", "MF"), // Saint Martin (French part)
    ("MAR", "MA"), // Morocco
    ("MCO", "MC"), // Monaco
    ("MDA", "MD"), // Moldova
    ("MDG", "MG"), // Madagascar
    ("MDV", "MV"), // Maldives
    ("MEX", "MX"), // Mexico
    ("MHL", "MH"), // Marshall Islands
    ("MKD", "MK"), // North Macedonia
    ("MLI", "ML"), // Mali
    ("MLT", "MT"), // Malta
    ("MMR", "MM"), // Myanmar
    ("MNE", "ME"), // Montenegro
    ("MNG", "MN"), // Mongolia
    ("MNP", "MP"), // Northern Mariana Islands
    ("MOZ", "MZ"), // Mozambique
    ("MRT", "MR"), // Mauritania
    ("MSR", "MS"), // Montserrat
    ("MTQ", "MQ"), // Martinique
    ("MUS", "MU"), // Mauritius
    ("MWI", "MW"), // Malawi
    ("MYS", "MY"), // Malaysia
    ("MYT", "YT"), // Mayotte
    ("NAM", "NA"), // Namibia
    ("NCL", "NC"), // New Caledonia
    ("NER", "NE"), // Niger
    ("NFK", "NF"), // Norfolk Island
    ("NGA", "NG"), // Nigeria
    ("NIC", "NI"), // Nicaragua
    ("NIU", "NU"), // Niue
    ("NLD", "NL"), // Netherlands
    ("NOR", "NO"), // Norway
    ("NPL", "NP"), // Nepal
    ("NRU", "NR"), // Nauru
    ("NZL", "NZ"), // New Zealand
    ("OMN", "OM"), // Oman
    ("PAK", "PK"), // Pakistan
    ("PAN", "PA"), // Panama
    ("PCN", "PN"), // Pitcairn
    ("PER", "PE"), // Peru
    ("PHL", "PH"), // Philippines
    ("PLW", "PW"), // Palau
    ("PNG", "PG"), // Papua New Guinea
    ("POL", "PL"), // Poland
    ("PRI", "PR"), // Puerto Rico
    ("PRK", "KP"), // North Korea
    ("PRT", "PT"), // Portugal
    ("PRY", "PY"), // Paraguay
    ("PSE", "PS"), // Palestine, State of
    ("PYF", "PF"), // French Polynesia
    ("QAT", "QA"), // Qatar
    ("REU", "RE"), // Réunion
    ("ROU", "RO"), // Romania
    ("RUS", "RU"), // Russian Federation
    ("RWA", "RW"), // Rwanda
    ("SAU", "SA"), // Saudi Arabia
    ("SDN", "SD"), // Sudan
    ("SEN", "SN"), // Senegal
    ("SGP", "SG"), // Singapore
    ("SGS", "GS"), // South Georgia and the South Sandwich Islands
    ("SHN", "SH"), // Saint Helena, Ascension and Tristan da Cunha
    ("SJM", "SJ"), // Svalbard and Jan Mayen
    ("SLB", "SB"), // Solomon Islands
    ("SLE", "SL"), // Sierra Leone
    ("SLV", "SV"), // El Salvador
    ("SMR", "SM"), // San Marino
    ("SOM", "SO"), // Somalia
    ("SPM", "PM"), // Saint Pierre and Miquelon
    ("SRB", "RS"), // Serbia
    ("SSD", "SS"), // South Sudan
    ("STP", "ST"), // Sao Tome and Principe
    ("SUR", "SR"), // Suriname
    ("SVK", "SK"), // Slovakia
    ("SVN", "SI"), // Slovenia
    ("SWE", "SE"), // Sweden
    ("SWZ", "SZ"), // Eswatini
    ("SXM", "SX"), // Sint Maarten (Dutch part)
    ("SYC", "SC"), // Seychelles
    ("SYR", "SY"), // Syria
    ("TCA", "TC"), // Turks and Caicos Islands
    ("TCD", "TD"), // Chad
    ("TGO", "TG"), // Togo
    ("THA", "TH"), // Thailand
    ("TJK", "TJ"), // Tajikistan
    ("TKL", "TK"), // Tokelau
    ("TKM", "TM"), // Turkmenistan
    ("TLS", "TL"), // Timor-Leste
    ("TON", "TO"), // Tonga
    ("TTO", "TT"), // Trinidad and Tobago
    ("TUN", "TN"), // Tunisia
    ("TUR", "TR"), // Türkiye
    ("TUV", "TV"), // Tuvalu
    ("TWN", "TW"), // Taiwan
    ("TZA", "TZ"), // Tanzania
    ("UGA", "UG"), // Uganda
    ("UKR", "UA"), // Ukraine
    ("UMI", "UM"), // United States Minor Outlying Islands
    ("URY", "UY"), // Uruguay
    ("USA", "US"), // United States
    ("UZB", "UZ"), // Uzbekistan
    ("VAT", "VA"), // Holy See (Vatican City State)
    ("VCT", "VC"), // Saint Vincent and the Grenadines
    ("VEN", "VE"), // Venezuela
    ("VGB", "VG"), // Virgin Islands, British
    ("VIR", "VI"), // Virgin Islands, U.S.
    ("VNM", "VN"), // Vietnam
    ("VUT", "VU"), // Vanuatu
    ("WLF", "WF"), // Wallis and Futuna
    ("WSM", "WS"), // Samoa
    ("YEM", "YE"), // Yemen
    ("ZAF", "ZA"), // South Africa
    ("ZMB", "ZM"), // Zambia
    ("ZWE", "ZW"), // Zimbabwe
];

/// ICAO codes that are not ISO 3166-1 alpha-3 but stand for one country.
const ICAO_SPECIALS: &[(&str, &str)] = &[
    ("D", "DE"),
    ("GBD", "GB"),
    ("GBN", "GB"),
    ("GBO", "GB"),
    ("GBP", "GB"),
    ("GBS", "GB"),
    ("RKS", "XK"),
];

/// Normalizes an MRZ code: white space and `<` fillers stripped, upper case.
fn normalize(code: &str) -> String {
    code.trim().trim_matches('<').trim().to_ascii_uppercase()
}

/// The ISO 3166-1 alpha-2 code for an MRZ issuing state or nationality code (`AUT` -> `AT`,
/// `D<<` -> `DE`, `GBN` -> `GB`); `None` for codes that are no country (`UTO`, `EUE`, `UNO`,
/// `XXA`, ...) and for anything unknown.
pub fn alpha2_for_mrz_code(code: &str) -> Option<&'static str> {
    let code = normalize(code);
    if let Some((_, a2)) = ICAO_SPECIALS.iter().find(|(c, _)| *c == code) {
        return Some(a2);
    }
    ALPHA3_TO_ALPHA2
        .binary_search_by(|(a3, _)| (*a3).cmp(code.as_str()))
        .ok()
        .and_then(|i| ALPHA3_TO_ALPHA2.get(i))
        .map(|(_, a2)| *a2)
}

/// The MRZ code for an ISO 3166-1 alpha-2 code (`DE` -> `D`, `GB` and `UK` -> `GBR`).
pub fn mrz_code_for_alpha2(alpha2: &str) -> Option<&'static str> {
    let a2 = normalize_alpha2(alpha2);
    if a2 == "DE" {
        return Some("D");
    }
    if a2 == "XK" {
        return Some("RKS");
    }
    ALPHA3_TO_ALPHA2
        .iter()
        .find(|(_, b)| *b == a2)
        .map(|(a3, _)| *a3)
}

/// An alpha-2 code trimmed and upper-cased, with `UK` read as `GB`.
fn normalize_alpha2(alpha2: &str) -> String {
    let a2 = alpha2.trim().to_ascii_uppercase();
    if a2 == "UK" { "GB".to_string() } else { a2 }
}

/// True when an MRZ code and a certificate's country attribute name the same country. `UK` is
/// accepted for `GB` (the UK CSCA uses `C=GB`, some certificates `UK`). Codes that name no
/// country (`UTO`, `EUE`, `UNO`, ...) match nothing.
pub fn same_country(mrz_code: &str, alpha2: &str) -> bool {
    alpha2_for_mrz_code(mrz_code).is_some_and(|a| a == normalize_alpha2(alpha2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        assert_eq!(ALPHA3_TO_ALPHA2.len(), 249);
        assert!(ALPHA3_TO_ALPHA2.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(
            ALPHA3_TO_ALPHA2
                .iter()
                .all(|(a3, a2)| a3.len() == 3 && a2.len() == 2)
        );
    }

    #[test]
    fn maps_mrz_codes() {
        for (code, a2) in [
            ("AUT", "AT"),
            ("D", "DE"),
            ("D<<", "DE"),
            ("DEU", "DE"),
            ("GBR", "GB"),
            ("GBN", "GB"),
            ("NZL", "NZ"),
            ("USA", "US"),
            ("fra", "FR"),
            ("RKS", "XK"),
        ] {
            assert_eq!(alpha2_for_mrz_code(code), Some(a2), "{code}");
        }
        for code in [
            "UTO", "EUE", "UNO", "UNA", "UNK", "XXA", "XXB", "XXC", "XXX", "", "<<<", "ZZZ",
        ] {
            assert_eq!(alpha2_for_mrz_code(code), None, "{code}");
        }
        assert!(same_country("GBR", "UK"));
        assert!(same_country("D<<", "de"));
        assert!(!same_country("UTO", "UT"));
        assert!(!same_country("FRA", "DE"));
        assert_eq!(mrz_code_for_alpha2("DE"), Some("D"));
        assert_eq!(mrz_code_for_alpha2("uk"), Some("GBR"));
        assert_eq!(mrz_code_for_alpha2("NZ"), Some("NZL"));
    }
}
