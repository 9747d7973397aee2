//! Offline content ideas (`generate_ideas`, JOB-1/JOB-7): three to five
//! ideas for one cluster, each with an outline, target keywords and a word
//! count estimate.
//!
//! The keywords' intents decide the kind of content, because that is what a
//! searcher with that intent wants to land on: informational searches get
//! guides and how-tos, commercial ones comparisons, reviews and "best X"
//! lists, transactional ones a product or service page, navigational ones a
//! cluster hub. The cluster's own keywords become section headings (its
//! questions an FAQ) so outlines are specific to the cluster, and the fixed
//! wording is available in English, Spanish, French and German.

use super::cluster::KeywordIn;
use super::text::{
    Language, Tone, capitalize_first, hash_parts, infer_intent, is_modifier, is_stop_word,
    normalize, stem, title_case, truncate_words,
};
use crate::outline::{HEADING_MAX_CHARS, Outline, OutlineSection};
use crate::planner::{ContentStructure, ContentType, KeywordIntent, keyword_key, keyword_text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What the idea generator knows about the cluster and the site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaContext {
    pub cluster_name: String,
    pub cluster_description: String,
    pub keywords: Vec<KeywordIn>,
    pub sector: String,
    pub site: String,
    pub tone: Option<String>,
    pub language: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IdeaOut {
    pub title: String,
    pub description: String,
    pub content_type: ContentType,
    pub content_structure: ContentStructure,
    pub outline: Outline,
    /// The first is the primary keyword.
    pub target_keywords: Vec<String>,
    pub estimated_word_count: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IdeasOutput {
    pub ideas: Vec<IdeaOut>,
}

pub const MIN_IDEAS: usize = 3;
pub const MAX_IDEAS: usize = 5;
pub const MIN_SECTIONS: usize = 4;
pub const MAX_SECTIONS: usize = 9;
pub const MIN_WORDS: i32 = 800;
pub const MAX_WORDS: i32 = 3000;
const MAX_SECTION_KEYWORDS: usize = 3;
const MAX_TARGET_KEYWORDS: usize = 8;
const TITLE_MAX_CHARS: usize = 200;

/// Localised text: `[en, es, fr, de]`, with `{t}` (topic), `{k}`
/// (keyword), `{n}`, `{x}`, `{a}`, `{b}`, `{s}` (site) placeholders.
type L = [&'static str; 4];

// Titles.
const T_GUIDE: L = [
    "{t}: The Complete Guide",
    "{t}: la guía completa",
    "{t} : le guide complet",
    "{t}: Der komplette Leitfaden",
];
const T_HOWTO: L = [
    "How to Get Started with {t}",
    "Cómo empezar con {t}",
    "Comment bien débuter avec {t}",
    "So gelingt der Einstieg in {t}",
];
const T_HOWTO_KW: L = [
    "{k}: Step by Step",
    "{k}: paso a paso",
    "{k} : étape par étape",
    "{k}: Schritt für Schritt",
];
const T_MISTAKES: L = [
    "{n} Common {t} Mistakes (and How to Avoid Them)",
    "{n} errores comunes con {t} (y cómo evitarlos)",
    "{n} erreurs courantes avec {t} (et comment les éviter)",
    "{n} häufige Fehler bei {t} (und wie man sie vermeidet)",
];
const T_FAQ: L = [
    "{t}: Your Questions Answered",
    "{t}: respuestas a tus preguntas",
    "{t} : réponses à vos questions",
    "{t}: Antworten auf Ihre Fragen",
];
const T_BEST: L = [
    "The Best {t} Options: Top Picks Compared",
    "Las mejores opciones de {t}: comparativa",
    "Les meilleures options de {t} : notre sélection",
    "Die besten {t}-Optionen im Vergleich",
];
const T_VERSUS: L = [
    "{a} vs {b}: Which Is Better?",
    "{a} vs {b}: ¿cuál es mejor?",
    "{a} ou {b} : lequel choisir ?",
    "{a} vs. {b}: Was ist besser?",
];
const T_COMPARE: L = [
    "Comparing {t} Options: Which Is Right for You?",
    "Comparativa de {t}: ¿cuál te conviene?",
    "Comparatif {t} : quelle option vous convient ?",
    "{t} im Vergleich: Was passt zu Ihnen?",
];
const T_REVIEW: L = [
    "{t} Reviews: What to Know Before You Choose",
    "Opiniones sobre {t}: lo que debes saber antes de elegir",
    "Avis sur {t} : ce qu'il faut savoir avant de choisir",
    "{t} im Test: Das sollten Sie vor der Wahl wissen",
];
const T_BUYING: L = [
    "{t} Buying Guide: How to Choose Well",
    "Guía de compra de {t}: cómo elegir bien",
    "Guide d'achat {t} : bien choisir",
    "{t} Kaufberatung: So wählen Sie richtig",
];
const T_OFFER_PRODUCT: L = [
    "{t}: Options, Pricing and How to Order",
    "{t}: opciones, precios y cómo pedir",
    "{t} : options, tarifs et commande",
    "{t}: Optionen, Preise und Bestellung",
];
const T_OFFER_SERVICE: L = [
    "{t}: Services, Pricing and How to Book",
    "{t}: servicios, precios y cómo reservar",
    "{t} : services, tarifs et réservation",
    "{t}: Leistungen, Preise und Buchung",
];
const T_PRICING: L = [
    "How Much Does {t} Cost? Pricing Explained",
    "¿Cuánto cuesta {t}? Precios explicados",
    "Combien coûte {t} ? Les prix expliqués",
    "Was kostet {t}? Preise erklärt",
];
const T_CHECKLIST: L = [
    "{t} Checklist: What to Check Before You Buy",
    "Lista de control de {t}: qué revisar antes de comprar",
    "Checklist {t} : ce qu'il faut vérifier avant d'acheter",
    "{t}-Checkliste: Das sollten Sie vor dem Kauf prüfen",
];
const T_HUB: L = [
    "{t}: Everything You Need in One Place",
    "{t}: todo lo que necesitas en un solo lugar",
    "{t} : tout ce qu'il faut savoir, au même endroit",
    "{t}: Alles Wichtige an einem Ort",
];
const T_RESOURCES: L = [
    "{t} Resources: Tools, Guides and Answers",
    "Recursos de {t}: herramientas, guías y respuestas",
    "Ressources {t} : outils, guides et réponses",
    "{t}-Ressourcen: Tools, Leitfäden und Antworten",
];

// Section headings.
const H_UNDERSTANDING: L = [
    "Understanding {t}",
    "Qué es {t}",
    "Comprendre {t}",
    "{t} verstehen",
];
const H_WHY: L = [
    "What {t} Can Do for You",
    "Ventajas de {t}",
    "Les atouts de {t}",
    "Die Vorteile von {t}",
];
const H_BENEFITS: L = [
    "Key Benefits",
    "Beneficios clave",
    "Principaux avantages",
    "Die wichtigsten Vorteile",
];
const H_MYTHS: L = [
    "Common Misconceptions",
    "Ideas erróneas comunes",
    "Idées reçues",
    "Häufige Irrtümer",
];
const H_GET_STARTED: L = [
    "How to Get Started",
    "Cómo empezar",
    "Comment commencer",
    "So fangen Sie an",
];
const H_TOPICS: L = [
    "Key Topics Within {t}",
    "Temas clave de {t}",
    "Les sujets clés de {t}",
    "Die wichtigsten Themen rund um {t}",
];
const H_TIPS: L = [
    "Tips and Best Practices",
    "Consejos y buenas prácticas",
    "Conseils et bonnes pratiques",
    "Tipps und bewährte Methoden",
];
const H_FAQ: L = [
    "Frequently Asked Questions",
    "Preguntas frecuentes",
    "Questions fréquentes",
    "Häufig gestellte Fragen",
];
const H_NEXT: L = [
    "Next Steps",
    "Próximos pasos",
    "Prochaines étapes",
    "Nächste Schritte",
];
const H_NEED: L = [
    "What You Need Before You Start",
    "Lo que necesitas antes de empezar",
    "Ce qu'il vous faut avant de commencer",
    "Was Sie vor dem Start brauchen",
];
const H_STEPS: L = [
    "Step-by-Step Instructions",
    "Instrucciones paso a paso",
    "Instructions étape par étape",
    "Schritt-für-Schritt-Anleitung",
];
const H_STEP: L = [
    "Step {n}: {x}",
    "Paso {n}: {x}",
    "Étape {n} : {x}",
    "Schritt {n}: {x}",
];
const STEP_NAMES: [L; 4] = [
    ["Plan", "Planificar", "Planifier", "Planen"],
    ["Prepare", "Preparar", "Préparer", "Vorbereiten"],
    [
        "Put It into Practice",
        "Ponerlo en práctica",
        "Passer à l'action",
        "Umsetzen",
    ],
    [
        "Review and Improve",
        "Revisar y mejorar",
        "Vérifier et améliorer",
        "Prüfen und verbessern",
    ],
];
const H_AVOID: L = [
    "Common Mistakes to Avoid",
    "Errores comunes que evitar",
    "Erreurs courantes à éviter",
    "Häufige Fehler vermeiden",
];
const H_TROUBLE: L = [
    "Troubleshooting",
    "Solución de problemas",
    "Dépannage",
    "Fehlerbehebung",
];
const H_MISTAKE: L = [
    "Mistake {n}: {x}",
    "Error {n}: {x}",
    "Erreur n° {n} : {x}",
    "Fehler {n}: {x}",
];
const MISTAKES: [L; 7] = [
    [
        "Skipping the Basics",
        "Saltarse lo básico",
        "Négliger les bases",
        "Die Grundlagen überspringen",
    ],
    [
        "Choosing on Price Alone",
        "Elegir solo por el precio",
        "Choisir uniquement sur le prix",
        "Nur nach dem Preis entscheiden",
    ],
    [
        "Trying to Do Too Much at Once",
        "Querer hacer demasiado a la vez",
        "Vouloir tout faire en même temps",
        "Zu viel auf einmal wollen",
    ],
    [
        "Not Planning Ahead",
        "No planificar con antelación",
        "Ne pas anticiper",
        "Nicht vorausplanen",
    ],
    [
        "Overlooking Maintenance",
        "Descuidar el mantenimiento",
        "Oublier l'entretien",
        "Die Pflege vernachlässigen",
    ],
    [
        "Following Outdated Advice",
        "Seguir consejos desactualizados",
        "Suivre des conseils dépassés",
        "Veralteten Ratschlägen folgen",
    ],
    [
        "Giving Up Too Early",
        "Rendirse demasiado pronto",
        "Abandonner trop tôt",
        "Zu früh aufgeben",
    ],
];
const H_QUICK: L = [
    "Quick Answers",
    "Respuestas rápidas",
    "Réponses rapides",
    "Schnelle Antworten",
];
const H_HOW_WE_CHOSE: L = [
    "How We Chose",
    "Cómo elegimos",
    "Notre méthode de sélection",
    "So haben wir ausgewählt",
];
const H_HOW_TO_CHOOSE: L = [
    "How to Choose the Right {t}",
    "Cómo elegir {t}",
    "Comment choisir {t}",
    "So wählen Sie {t} richtig aus",
];
const H_AT_A_GLANCE: L = [
    "At a Glance",
    "De un vistazo",
    "En un coup d'œil",
    "Auf einen Blick",
];
const H_STRENGTHS: L = [
    "{x}: Strengths and Weaknesses",
    "{x}: puntos fuertes y débiles",
    "{x} : forces et faiblesses",
    "{x}: Stärken und Schwächen",
];
const H_HEAD_TO_HEAD: L = [
    "Head-to-Head Comparison",
    "Comparación directa",
    "Comparaison directe",
    "Direkter Vergleich",
];
const H_PRICE_VALUE: L = [
    "Price and Value",
    "Precio y valor",
    "Prix et rapport qualité-prix",
    "Preis und Leistung",
];
const H_EASE: L = [
    "Ease of Use",
    "Facilidad de uso",
    "Facilité d'utilisation",
    "Bedienkomfort",
];
const H_WHICH: L = [
    "Which Should You Choose?",
    "¿Cuál deberías elegir?",
    "Lequel choisir ?",
    "Was sollten Sie wählen?",
];
const H_OVERVIEW: L = ["Overview", "Resumen", "Vue d'ensemble", "Überblick"];
const H_LIKE: L = [
    "What We Like",
    "Lo que nos gusta",
    "Ce que nous aimons",
    "Was uns gefällt",
];
const H_BETTER: L = [
    "What Could Be Better",
    "Lo que podría mejorar",
    "Ce qui pourrait être mieux",
    "Was besser sein könnte",
];
const H_WHO_FOR: L = [
    "Who It Is For",
    "Para quién es",
    "Pour qui ?",
    "Für wen es sich eignet",
];
const H_ALTERNATIVES: L = [
    "Alternatives Worth Considering",
    "Alternativas a considerar",
    "Alternatives à envisager",
    "Alternativen, die sich lohnen",
];
const H_VERDICT: L = [
    "Our Verdict",
    "Nuestro veredicto",
    "Notre verdict",
    "Unser Urteil",
];
const H_FEATURES: L = [
    "Features and Benefits",
    "Características y ventajas",
    "Caractéristiques et avantages",
    "Funktionen und Vorteile",
];
const H_PRICING: L = [
    "Pricing and Options",
    "Precios y opciones",
    "Tarifs et options",
    "Preise und Optionen",
];
const H_HOW_IT_WORKS: L = [
    "How It Works",
    "Cómo funciona",
    "Comment ça marche",
    "So funktioniert es",
];
const H_WHY_US: L = [
    "Why Choose {s}",
    "Por qué elegir {s}",
    "Pourquoi choisir {s}",
    "Warum {s}",
];
const H_START_TODAY: L = [
    "Get Started Today",
    "Empieza hoy",
    "Lancez-vous dès aujourd'hui",
    "Starten Sie noch heute",
];
const H_PRICE_FACTORS: L = [
    "What Affects the Price",
    "Qué influye en el precio",
    "Ce qui influence le prix",
    "Was den Preis beeinflusst",
];
const H_TYPICAL_COSTS: L = [
    "Typical Costs",
    "Costes habituales",
    "Coûts habituels",
    "Typische Kosten",
];
const H_SAVE: L = [
    "How to Save Money",
    "Cómo ahorrar dinero",
    "Comment économiser",
    "So sparen Sie Geld",
];
const H_BEFORE_BUY: L = [
    "Before You Buy",
    "Antes de comprar",
    "Avant d'acheter",
    "Vor dem Kauf",
];
const H_WHAT_COMPARE: L = [
    "What to Compare",
    "Qué comparar",
    "Quoi comparer",
    "Was Sie vergleichen sollten",
];
const H_RED_FLAGS: L = [
    "Red Flags",
    "Señales de alerta",
    "Signaux d'alerte",
    "Warnsignale",
];
const H_AFTER_BUY: L = [
    "After You Buy",
    "Después de comprar",
    "Après l'achat",
    "Nach dem Kauf",
];
const H_START_HERE: L = [
    "Start Here: {t} Basics",
    "Empieza aquí: lo básico de {t}",
    "Commencer ici : les bases de {t}",
    "Hier starten: {t}-Grundlagen",
];
const H_GUIDES: L = [
    "Guides and How-Tos",
    "Guías y tutoriales",
    "Guides et tutoriels",
    "Leitfäden und Anleitungen",
];
const H_COMPARISONS: L = [
    "Comparisons and Reviews",
    "Comparativas y reseñas",
    "Comparatifs et avis",
    "Vergleiche und Tests",
];
const H_BUYING: L = [
    "Buying and Pricing",
    "Compra y precios",
    "Achat et prix",
    "Kauf und Preise",
];
const H_TOOLS: L = [
    "Tools and Resources",
    "Herramientas y recursos",
    "Outils et ressources",
    "Tools und Ressourcen",
];

// Notes for the writer.
const NOTES: [L; 3] = [
    [
        "Cover “{x}” for readers interested in {t}; keep it concrete.",
        "Desarrolla «{x}» para lectores interesados en {t}; sé concreto.",
        "Traitez « {x} » pour les lecteurs intéressés par {t} ; restez concret.",
        "Behandle „{x}“ für Leser, die sich für {t} interessieren; bleib konkret.",
    ],
    [
        "Give practical, specific advice on “{x}”, with an example.",
        "Da consejos prácticos y concretos sobre «{x}», con un ejemplo.",
        "Donnez des conseils pratiques et précis sur « {x} », avec un exemple.",
        "Gib praktische, konkrete Tipps zu „{x}“, mit einem Beispiel.",
    ],
    [
        "Answer what readers ask about “{x}” in plain language.",
        "Responde a lo que preguntan los lectores sobre «{x}» con palabras sencillas.",
        "Répondez simplement aux questions des lecteurs sur « {x} ».",
        "Beantworte in einfachen Worten, was Leser zu „{x}“ fragen.",
    ],
];
const NOTE_KEYWORDS: L = [
    " Use naturally: {k}.",
    " Usa con naturalidad: {k}.",
    " À utiliser naturellement : {k}.",
    " Natürlich verwenden: {k}.",
];

// Descriptions.
const KIND_GUIDE: L = [
    "an in-depth guide",
    "una guía detallada",
    "un guide approfondi",
    "ein ausführlicher Leitfaden",
];
const KIND_HOWTO: L = [
    "a step-by-step how-to",
    "un tutorial paso a paso",
    "un tutoriel pas à pas",
    "eine Schritt-für-Schritt-Anleitung",
];
const KIND_LISTICLE: L = [
    "a scannable list article",
    "un artículo en formato de lista",
    "un article sous forme de liste",
    "ein übersichtlicher Listenartikel",
];
const KIND_COMPARISON: L = [
    "a side-by-side comparison",
    "una comparación lado a lado",
    "une comparaison point par point",
    "ein direkter Vergleich",
];
const KIND_REVIEW: L = [
    "an honest review",
    "una reseña honesta",
    "un avis honnête",
    "ein ehrlicher Testbericht",
];
const KIND_ARTICLE: L = [
    "a focused landing page",
    "una página enfocada",
    "une page ciblée",
    "eine fokussierte Landingpage",
];
const KIND_HUB: L = [
    "a hub page linking every piece on the topic",
    "una página central que enlaza todo el contenido del tema",
    "une page pilier qui relie tous les contenus du sujet",
    "eine Übersichtsseite, die alle Inhalte zum Thema verbindet",
];
const DESC_PROFESSIONAL: L = [
    "{x} on {t} for {s}, built around “{k}”.",
    "{x} sobre {t} para {s}, centrado en «{k}».",
    "{x} sur {t} pour {s}, construit autour de « {k} ».",
    "{x} zu {t} für {s}, rund um „{k}“.",
];
const DESC_FRIENDLY: L = [
    "{x} on {t} that walks {s} through “{k}” in plain, friendly language.",
    "{x} sobre {t} que explica «{k}» a {s} con un lenguaje cercano.",
    "{x} sur {t} qui explique « {k} » à {s} avec des mots simples.",
    "{x} zu {t}, der {s} „{k}“ locker und verständlich erklärt.",
];
const DESC_AUTHORITATIVE: L = [
    "{x} on {t} that gives {s} the definitive answer to “{k}”.",
    "{x} sobre {t} que da a {s} la respuesta definitiva sobre «{k}».",
    "{x} sur {t} qui apporte à {s} la réponse de référence sur « {k} ».",
    "{x} zu {t}, der {s} die maßgebliche Antwort auf „{k}“ gibt.",
];
const AUDIENCE_SECTOR: L = [
    "{x} readers",
    "lectores de {x}",
    "les lecteurs du secteur {x}",
    "Leser aus dem Bereich {x}",
];
const AUDIENCE_ANY: L = ["readers", "lectores", "les lecteurs", "Leser"];

/// Replaces `{name}` placeholders.
fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A cluster keyword, cleaned.
#[derive(Debug, Clone)]
struct Kw {
    text: String,
    volume: i64,
    intent: KeywordIntent,
    question: bool,
    /// The two sides of an "a vs b" keyword.
    versus: Option<(String, String)>,
    service: bool,
}

const QUESTION_WORDS: &[&str] = &[
    "are", "can", "do", "does", "how", "is", "should", "what", "when", "where", "which", "who",
    "why", "will",
];

const SERVICE_WORDS: &[&str] = &[
    "agency",
    "appointment",
    "book",
    "class",
    "classes",
    "coach",
    "coaching",
    "company",
    "consultant",
    "contractor",
    "course",
    "courses",
    "hire",
    "installation",
    "installer",
    "installers",
    "lessons",
    "planner",
    "repair",
    "service",
    "services",
    "tutor",
];

impl Kw {
    fn new(k: &KeywordIn) -> Option<Kw> {
        let text = keyword_text(&k.keyword).ok()?;
        let words: Vec<String> = normalize(&text).split(' ').map(str::to_owned).collect();
        if words.iter().all(String::is_empty) {
            return None;
        }
        let versus = versus_sides(&text);
        Some(Kw {
            volume: k.volume.unwrap_or(0).max(0),
            intent: k.intent.unwrap_or_else(|| infer_intent(&text)),
            question: words
                .first()
                .is_some_and(|w| QUESTION_WORDS.contains(&w.as_str())),
            service: words.iter().any(|w| SERVICE_WORDS.contains(&w.as_str()))
                || normalize(&text).contains("near me"),
            versus,
            text,
        })
    }
}

/// "nike pegasus vs hoka clifton" → ("Nike Pegasus", "Hoka Clifton").
fn versus_sides(text: &str) -> Option<(String, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let at = words.iter().position(|w| {
        let w = w.to_lowercase();
        w == "vs" || w == "vs." || w == "versus"
    })?;
    let (a, b) = (words[..at].join(" "), words[at + 1..].join(" "));
    if a.is_empty() || b.is_empty() {
        return None;
    }
    Some((title_case(&a), title_case(&b)))
}

/// The kinds of idea, each answering one intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    Guide,
    HowTo,
    Mistakes,
    Faq,
    Best,
    Versus,
    Review,
    Buying,
    Offer,
    Pricing,
    Checklist,
    Hub,
    Resources,
}

impl Plan {
    /// The plans that serve an intent, best first.
    fn for_intent(intent: KeywordIntent) -> &'static [Plan] {
        match intent {
            KeywordIntent::Informational => &[Plan::Guide, Plan::HowTo, Plan::Mistakes, Plan::Faq],
            KeywordIntent::Commercial => &[Plan::Best, Plan::Versus, Plan::Review, Plan::Buying],
            KeywordIntent::Transactional => &[Plan::Offer, Plan::Pricing, Plan::Checklist],
            KeywordIntent::Navigational => &[Plan::Hub, Plan::Resources],
        }
    }

    fn intent(self) -> KeywordIntent {
        match self {
            Plan::Guide | Plan::HowTo | Plan::Mistakes | Plan::Faq => KeywordIntent::Informational,
            Plan::Best | Plan::Versus | Plan::Review | Plan::Buying => KeywordIntent::Commercial,
            Plan::Offer | Plan::Pricing | Plan::Checklist => KeywordIntent::Transactional,
            Plan::Hub | Plan::Resources => KeywordIntent::Navigational,
        }
    }

    fn structure(self) -> ContentStructure {
        match self {
            Plan::Guide | Plan::Buying | Plan::Pricing | Plan::Resources => ContentStructure::Guide,
            Plan::HowTo => ContentStructure::HowTo,
            Plan::Mistakes | Plan::Best | Plan::Checklist => ContentStructure::Listicle,
            Plan::Faq | Plan::Offer => ContentStructure::Article,
            Plan::Versus => ContentStructure::Comparison,
            Plan::Review => ContentStructure::Review,
            Plan::Hub => ContentStructure::ClusterHub,
        }
    }
}

struct Gen<'a> {
    lang: Language,
    tone: Tone,
    topic: String,
    site: String,
    sector: String,
    /// Highest volume first.
    kws: Vec<Kw>,
    /// Salt for deterministic choices.
    seed: &'a str,
}

/// A section being built.
struct Sec {
    heading: String,
    level: u8,
    keywords: Vec<String>,
}

impl Sec {
    fn h2(heading: String) -> Sec {
        Sec {
            heading,
            level: 2,
            keywords: vec![],
        }
    }

    fn h3(heading: String) -> Sec {
        Sec {
            heading,
            level: 3,
            keywords: vec![],
        }
    }

    fn with(mut self, keyword: &str) -> Sec {
        self.keywords.push(keyword.to_owned());
        self
    }
}

impl Gen<'_> {
    fn t(&self, text: L) -> String {
        fill(
            self.lang.pick(text),
            &[("t", &self.topic), ("s", &self.site)],
        )
    }

    fn tx(&self, text: L, x: &str) -> String {
        fill(
            self.lang.pick(text),
            &[("t", &self.topic), ("s", &self.site), ("x", x)],
        )
    }

    /// How many keywords have each intent, most common first (ties to more
    /// volume, then to the order of `KeywordIntent::ALL`).
    fn intent_shares(&self) -> Vec<(KeywordIntent, usize)> {
        let mut shares: Vec<(KeywordIntent, usize, i64)> = KeywordIntent::ALL
            .iter()
            .map(|&i| {
                let matching = self.kws.iter().filter(|k| k.intent == i);
                (
                    i,
                    matching.clone().count(),
                    matching.map(|k| k.volume).sum(),
                )
            })
            .filter(|(_, c, _)| *c > 0)
            .collect();
        shares.sort_by_key(|&(i, c, v)| {
            let pos = KeywordIntent::ALL.iter().position(|&x| x == i);
            (std::cmp::Reverse(c), std::cmp::Reverse(v), pos)
        });
        if shares.is_empty() {
            return vec![(KeywordIntent::Informational, 1)];
        }
        shares.into_iter().map(|(i, c, _)| (i, c)).collect()
    }

    /// Which plans to write: the idea count grows with the number of
    /// intents and keywords; slots go to intents in proportion to their
    /// keywords (D'Hondt), each intent using its plans in order.
    fn choose_plans(&self) -> Vec<Plan> {
        let shares = self.intent_shares();
        let count =
            (2 + shares.len() + usize::from(self.kws.len() >= 8)).clamp(MIN_IDEAS, MAX_IDEAS);
        let mut used = vec![0usize; shares.len()];
        let mut plans: Vec<Plan> = Vec::new();
        while plans.len() < count {
            let mut pick: Option<(usize, f64)> = None;
            for (i, &(intent, c)) in shares.iter().enumerate() {
                if used[i] >= Plan::for_intent(intent).len() {
                    continue;
                }
                let quotient = c as f64 / (used[i] + 1) as f64;
                if pick.is_none_or(|(_, q)| quotient > q) {
                    pick = Some((i, quotient));
                }
            }
            let Some((i, _)) = pick else { break };
            plans.push(Plan::for_intent(shares[i].0)[used[i]]);
            used[i] += 1;
        }
        // Too few intents to fill the count: fall back to general plans.
        for fallback in [
            Plan::Guide,
            Plan::HowTo,
            Plan::Faq,
            Plan::Hub,
            Plan::Mistakes,
        ] {
            if plans.len() >= count {
                break;
            }
            if !plans.contains(&fallback) {
                plans.push(fallback);
            }
        }
        plans
    }

    fn questions(&self) -> Vec<&Kw> {
        self.kws.iter().filter(|k| k.question).collect()
    }

    /// Keywords that can stand as sub-topic headings: not questions, not
    /// comparisons, not just the topic itself.
    fn subtopics(&self) -> Vec<&Kw> {
        let topic = keyword_key(&self.topic);
        self.kws
            .iter()
            .filter(|k| !k.question && k.versus.is_none() && keyword_key(&k.text) != topic)
            .collect()
    }

    fn question_heading(k: &Kw) -> String {
        let q = capitalize_first(k.text.trim_end_matches('?'));
        format!("{q}?")
    }

    fn faq(&self, secs: &mut Vec<Sec>, max_questions: usize) {
        let questions = self.questions();
        secs.push(Sec::h2(self.t(H_FAQ)));
        for q in questions.iter().take(max_questions) {
            secs.push(Sec::h3(Self::question_heading(q)).with(&q.text));
        }
        if questions.is_empty() {
            secs.push(Sec::h3(self.t(H_QUICK)));
        }
    }

    fn title(&self, plan: Plan) -> String {
        let lang = self.lang;
        let raw = match plan {
            Plan::Guide => self.t(T_GUIDE),
            Plan::HowTo => match self.how_to_keyword() {
                Some(k) => fill(lang.pick(T_HOWTO_KW), &[("k", &title_case(&k.text))]),
                None => self.t(T_HOWTO),
            },
            Plan::Mistakes => fill(lang.pick(T_MISTAKES), &[("t", &self.topic), ("n", "7")]),
            Plan::Faq => self.t(T_FAQ),
            Plan::Best => self.t(T_BEST),
            Plan::Versus => match self.kws.iter().find_map(|k| k.versus.clone()) {
                Some((a, b)) => fill(lang.pick(T_VERSUS), &[("a", &a), ("b", &b)]),
                None => self.t(T_COMPARE),
            },
            Plan::Review => self.t(T_REVIEW),
            Plan::Buying => self.t(T_BUYING),
            Plan::Offer if self.is_service() => self.t(T_OFFER_SERVICE),
            Plan::Offer => self.t(T_OFFER_PRODUCT),
            Plan::Pricing => self.t(T_PRICING),
            Plan::Checklist => self.t(T_CHECKLIST),
            Plan::Hub => self.t(T_HUB),
            Plan::Resources => self.t(T_RESOURCES),
        };
        truncate_words(&raw, TITLE_MAX_CHARS)
    }

    fn how_to_keyword(&self) -> Option<&Kw> {
        self.kws
            .iter()
            .find(|k| normalize(&k.text).starts_with("how to "))
    }

    /// Service wording when the transactional keywords talk about booking,
    /// hiring or local providers.
    fn is_service(&self) -> bool {
        let transactional: Vec<&Kw> = self
            .kws
            .iter()
            .filter(|k| k.intent == KeywordIntent::Transactional)
            .collect();
        let service = transactional.iter().filter(|k| k.service).count();
        service * 2 > transactional.len()
    }

    fn sections(&self, plan: Plan) -> Vec<Sec> {
        let lang = self.lang;
        let subtopics = self.subtopics();
        let mut secs: Vec<Sec> = Vec::new();
        match plan {
            Plan::Guide => {
                secs.push(Sec::h2(self.t(H_UNDERSTANDING)));
                secs.push(Sec::h2(self.t(H_WHY)));
                secs.push(Sec::h3(self.t(H_BENEFITS)));
                secs.push(Sec::h3(self.t(H_MYTHS)));
                if subtopics.len() >= 2 {
                    secs.push(Sec::h2(self.t(H_TOPICS)));
                    for k in subtopics.iter().take(2) {
                        secs.push(Sec::h3(title_case(&k.text)).with(&k.text));
                    }
                }
                secs.push(Sec::h2(self.t(H_GET_STARTED)));
                self.faq(&mut secs, 1);
            }
            Plan::HowTo => {
                secs.push(Sec::h2(self.t(H_NEED)));
                secs.push(Sec::h2(self.t(H_STEPS)));
                for (i, name) in STEP_NAMES.iter().enumerate() {
                    let n = (i + 1).to_string();
                    secs.push(Sec::h3(fill(
                        lang.pick(H_STEP),
                        &[("n", &n), ("x", lang.pick(*name))],
                    )));
                }
                secs.push(Sec::h2(self.t(H_AVOID)));
                secs.push(Sec::h2(self.t(H_TROUBLE)));
            }
            Plan::Mistakes => {
                // Each mistake is its own h2; the list's one h3 explains fixing it.
                let start = (hash_parts(&[self.seed, "mistakes"]) % 3) as usize;
                for i in 0..5 {
                    let name = lang.pick(MISTAKES[(start + i) % MISTAKES.len()]);
                    let n = (i + 1).to_string();
                    secs.push(Sec::h2(fill(
                        lang.pick(H_MISTAKE),
                        &[("n", &n), ("x", name)],
                    )));
                }
                secs.push(Sec::h2(self.t(H_TIPS)));
                secs.push(Sec::h3(self.t(H_NEXT)));
            }
            Plan::Faq => {
                secs.push(Sec::h2(self.t(H_QUICK)));
                let questions = self.questions();
                for q in questions.iter().take(5) {
                    secs.push(Sec::h2(Self::question_heading(q)).with(&q.text));
                }
                if questions.len() < 3 {
                    secs.push(Sec::h2(self.t(H_UNDERSTANDING)));
                    secs.push(Sec::h3(self.t(H_MYTHS)));
                    secs.push(Sec::h2(self.t(H_TIPS)));
                }
                secs.push(Sec::h2(self.t(H_NEXT)));
                if !secs.iter().any(|s| s.level == 3) {
                    secs.push(Sec::h3(self.t(H_GET_STARTED)));
                }
            }
            Plan::Best => {
                secs.push(Sec::h2(self.t(H_HOW_WE_CHOSE)));
                for k in subtopics.iter().take(4) {
                    secs.push(Sec::h2(title_case(&k.text)).with(&k.text));
                }
                if subtopics.len() < 2 {
                    secs.push(Sec::h2(self.t(H_OVERVIEW)));
                    secs.push(Sec::h2(self.t(H_PRICE_VALUE)));
                }
                secs.push(Sec::h2(self.t(H_HOW_TO_CHOOSE)));
                secs.push(Sec::h3(self.t(H_PRICE_VALUE)));
                secs.push(Sec::h3(self.t(H_EASE)));
            }
            Plan::Versus => {
                let sides = self
                    .kws
                    .iter()
                    .find_map(|k| k.versus.clone().map(|s| (s, k.text.clone())));
                secs.push(Sec::h2(self.t(H_AT_A_GLANCE)));
                match sides {
                    Some(((a, b), kw)) => {
                        secs.push(Sec::h2(self.tx(H_STRENGTHS, &a)).with(&kw));
                        secs.push(Sec::h2(self.tx(H_STRENGTHS, &b)));
                    }
                    None => {
                        for k in subtopics.iter().take(2) {
                            secs.push(
                                Sec::h2(self.tx(H_STRENGTHS, &title_case(&k.text))).with(&k.text),
                            );
                        }
                    }
                }
                secs.push(Sec::h2(self.t(H_HEAD_TO_HEAD)));
                secs.push(Sec::h3(self.t(H_PRICE_VALUE)));
                secs.push(Sec::h3(self.t(H_EASE)));
                secs.push(Sec::h2(self.t(H_WHICH)));
            }
            Plan::Review => {
                secs.push(Sec::h2(self.t(H_OVERVIEW)));
                secs.push(Sec::h2(self.t(H_LIKE)));
                secs.push(Sec::h2(self.t(H_BETTER)));
                secs.push(Sec::h2(self.t(H_WHO_FOR)));
                secs.push(Sec::h2(self.t(H_ALTERNATIVES)));
                for k in subtopics.iter().take(2) {
                    secs.push(Sec::h3(title_case(&k.text)).with(&k.text));
                }
                secs.push(Sec::h2(self.t(H_VERDICT)));
            }
            Plan::Buying => {
                secs.push(Sec::h2(self.t(H_UNDERSTANDING)));
                secs.push(Sec::h2(self.t(H_WHAT_COMPARE)));
                secs.push(Sec::h3(self.t(H_PRICE_VALUE)));
                secs.push(Sec::h3(self.t(H_EASE)));
                secs.push(Sec::h2(self.t(H_RED_FLAGS)));
                secs.push(Sec::h2(self.t(H_HOW_TO_CHOOSE)));
                self.faq(&mut secs, 2);
            }
            Plan::Offer => {
                secs.push(Sec::h2(self.t(H_OVERVIEW)));
                secs.push(Sec::h2(self.t(H_FEATURES)));
                for k in subtopics.iter().take(2) {
                    secs.push(Sec::h3(title_case(&k.text)).with(&k.text));
                }
                secs.push(Sec::h2(self.t(H_PRICING)));
                secs.push(Sec::h2(self.t(H_HOW_IT_WORKS)));
                if !self.site.is_empty() {
                    secs.push(Sec::h2(self.t(H_WHY_US)));
                }
                secs.push(Sec::h2(self.t(H_START_TODAY)));
            }
            Plan::Pricing => {
                secs.push(Sec::h2(self.t(H_TYPICAL_COSTS)));
                secs.push(Sec::h2(self.t(H_PRICE_FACTORS)));
                for k in subtopics.iter().take(2) {
                    secs.push(Sec::h3(title_case(&k.text)).with(&k.text));
                }
                secs.push(Sec::h2(self.t(H_SAVE)));
                self.faq(&mut secs, 2);
            }
            Plan::Checklist => {
                secs.push(Sec::h2(self.t(H_BEFORE_BUY)));
                secs.push(Sec::h2(self.t(H_WHAT_COMPARE)));
                secs.push(Sec::h3(self.t(H_PRICE_VALUE)));
                secs.push(Sec::h3(self.t(H_EASE)));
                secs.push(Sec::h2(self.t(H_RED_FLAGS)));
                secs.push(Sec::h2(self.t(H_AFTER_BUY)));
            }
            Plan::Hub => {
                secs.push(Sec::h2(self.t(H_START_HERE)));
                let groups = [
                    (H_GUIDES, KeywordIntent::Informational),
                    (H_COMPARISONS, KeywordIntent::Commercial),
                    (H_BUYING, KeywordIntent::Transactional),
                ];
                for (heading, intent) in groups {
                    let mut sec = Sec::h2(self.t(heading));
                    for k in self.kws.iter().filter(|k| k.intent == intent).take(3) {
                        sec.keywords.push(k.text.clone());
                    }
                    secs.push(sec);
                }
                secs.push(Sec::h2(self.t(H_TOOLS)));
                self.faq(&mut secs, 2);
            }
            Plan::Resources => {
                secs.push(Sec::h2(self.t(H_OVERVIEW)));
                secs.push(Sec::h2(self.t(H_TOOLS)));
                for k in subtopics.iter().take(2) {
                    secs.push(Sec::h3(title_case(&k.text)).with(&k.text));
                }
                secs.push(Sec::h2(self.t(H_GUIDES)));
                self.faq(&mut secs, 2);
            }
        }
        self.fit_section_count(secs)
    }

    /// Between MIN_SECTIONS and MAX_SECTIONS, with at least one h3: extra
    /// h3s go first (from the end), then h2s before the last; missing
    /// sections are general ones the outline does not have yet.
    fn fit_section_count(&self, mut secs: Vec<Sec>) -> Vec<Sec> {
        while secs.len() > MAX_SECTIONS {
            let h3s = secs.iter().filter(|s| s.level == 3).count();
            let drop = if h3s > 1 {
                secs.iter().rposition(|s| s.level == 3)
            } else {
                secs.iter()
                    .rposition(|s| s.level == 2)
                    .filter(|&i| i + 1 < secs.len())
                    .or(Some(secs.len() - 2))
            };
            match drop {
                Some(i) => {
                    secs.remove(i);
                }
                None => break,
            }
        }
        for extra in [H_TIPS, H_NEXT, H_OVERVIEW, H_FAQ, H_GET_STARTED] {
            if secs.len() >= MIN_SECTIONS {
                break;
            }
            let heading = self.t(extra);
            if !secs.iter().any(|s| s.heading == heading) {
                secs.push(Sec::h2(heading));
            }
        }
        if !secs.iter().any(|s| s.level == 3)
            && let Some(i) = secs.iter().position(|s| s.level == 2)
        {
            let sub = Sec::h3(self.t(H_TIPS));
            if secs.len() >= MAX_SECTIONS {
                if let Some(next) = secs.get_mut(i + 1) {
                    next.level = 3;
                }
            } else if secs.iter().all(|s| s.heading != sub.heading) {
                secs.insert(i + 1, sub);
            } else {
                secs.insert(i + 1, Sec::h3(self.t(H_NEXT)));
            }
        }
        secs
    }

    /// The idea's keywords: `primary` first, then the others of the plan's
    /// intent, then the rest, by volume.
    fn target_keywords(&self, plan: Plan, primary: &str) -> Vec<String> {
        let mut out = vec![primary.to_owned()];
        let mut keys = vec![keyword_key(primary)];
        let same = self.kws.iter().filter(|k| k.intent == plan.intent());
        let other = self.kws.iter().filter(|k| k.intent != plan.intent());
        for k in same.chain(other) {
            if out.len() >= MAX_TARGET_KEYWORDS {
                break;
            }
            let key = keyword_key(&k.text);
            if !keys.contains(&key) {
                keys.push(key);
                out.push(k.text.clone());
            }
        }
        out
    }

    /// The idea's primary keyword: the keyword its title is about when it
    /// has one, else the biggest keyword of its intent not yet primary for
    /// another idea, else the biggest keyword, else the topic.
    fn primary(&self, plan: Plan, taken: &[String]) -> String {
        let specific = match plan {
            Plan::HowTo => self.how_to_keyword(),
            Plan::Versus => self.kws.iter().find(|k| k.versus.is_some()),
            _ => None,
        };
        if let Some(k) = specific {
            return k.text.clone();
        }
        let free = |k: &&Kw| !taken.contains(&keyword_key(&k.text));
        self.kws
            .iter()
            .filter(|k| k.intent == plan.intent())
            .find(free)
            .or_else(|| self.kws.iter().find(free))
            .or_else(|| self.kws.first())
            .map_or_else(|| self.topic.clone(), |k| k.text.clone())
    }

    /// Gives every target keyword a section, at most three per section:
    /// the h2 whose heading shares the most words with the keyword (beyond
    /// the topic's own), else the h2 with the fewest keywords.
    fn spread_keywords(&self, secs: &mut [Sec], targets: &[String]) {
        let topic = topic_stems(&self.topic);
        let heading_stems: Vec<Vec<String>> =
            secs.iter().map(|s| topic_stems(&s.heading)).collect();
        let placed = |secs: &[Sec], key: &str| {
            secs.iter()
                .any(|s| s.keywords.iter().any(|x| keyword_key(x) == key))
        };
        for k in targets {
            if placed(secs, &keyword_key(k)) {
                continue;
            }
            let stems: Vec<String> = topic_stems(k)
                .into_iter()
                .filter(|s| !topic.contains(s))
                .collect();
            let slot = secs
                .iter()
                .enumerate()
                .filter(|(_, s)| s.level == 2 && s.keywords.len() < MAX_SECTION_KEYWORDS)
                .min_by_key(|(i, s)| {
                    let shared = stems
                        .iter()
                        .filter(|x| heading_stems[*i].contains(x))
                        .count();
                    (std::cmp::Reverse(shared), s.keywords.len(), *i)
                })
                .map(|(i, _)| i);
            if let Some(i) = slot {
                secs[i].keywords.push(k.clone());
            }
        }
        for s in secs.iter_mut() {
            s.keywords.truncate(MAX_SECTION_KEYWORDS);
        }
    }

    fn notes(&self, sec: &Sec, i: usize) -> String {
        let pick = (hash_parts(&[self.seed, &sec.heading, &i.to_string()]) % 3) as usize;
        let mut note = self.tx(NOTES[pick], &sec.heading);
        if !sec.keywords.is_empty() {
            note.push_str(&fill(
                self.lang.pick(NOTE_KEYWORDS),
                &[("k", &sec.keywords.join(", "))],
            ));
        }
        note
    }

    fn description(&self, plan: Plan, primary: &str) -> String {
        let kind = match plan.structure() {
            ContentStructure::Guide => KIND_GUIDE,
            ContentStructure::HowTo => KIND_HOWTO,
            ContentStructure::Listicle => KIND_LISTICLE,
            ContentStructure::Comparison => KIND_COMPARISON,
            ContentStructure::Review => KIND_REVIEW,
            ContentStructure::ClusterHub => KIND_HUB,
            ContentStructure::Article => KIND_ARTICLE,
        };
        let audience = if self.sector.is_empty() {
            self.lang.pick(AUDIENCE_ANY).to_owned()
        } else {
            fill(self.lang.pick(AUDIENCE_SECTOR), &[("x", &self.sector)])
        };
        let template = match self.tone {
            Tone::Professional => DESC_PROFESSIONAL,
            Tone::Friendly => DESC_FRIENDLY,
            Tone::Authoritative => DESC_AUTHORITATIVE,
        };
        let text = fill(
            self.lang.pick(template),
            &[
                ("x", &capitalize_first(self.lang.pick(kind))),
                ("t", &self.topic),
                ("s", &audience),
                ("k", primary),
            ],
        );
        truncate_words(&text, 1000)
    }

    fn idea(&self, plan: Plan, taken: &[String]) -> IdeaOut {
        let primary = self.primary(plan, taken);
        let targets = self.target_keywords(plan, &primary);
        let mut secs = self.sections(plan);
        self.spread_keywords(&mut secs, &targets);
        let sections: Vec<OutlineSection> = secs
            .iter()
            .enumerate()
            .map(|(i, s)| OutlineSection {
                heading: truncate_words(&s.heading, HEADING_MAX_CHARS),
                level: s.level,
                notes: self.notes(s, i),
                target_keywords: s.keywords.clone(),
            })
            .collect();
        let outline = Outline { sections }
            .validate()
            .unwrap_or_else(|_| self.fallback_outline());
        let content_type = match plan {
            Plan::Offer if self.is_service() => ContentType::Service,
            Plan::Offer => ContentType::Product,
            Plan::Hub => ContentType::Page,
            _ => ContentType::Post,
        };
        IdeaOut {
            title: self.title(plan),
            description: self.description(plan, &primary),
            content_type,
            content_structure: plan.structure(),
            estimated_word_count: estimate_words(&outline, plan.structure()),
            outline,
            target_keywords: targets,
        }
    }

    /// An outline with nothing taken from input; used only if a generated
    /// one were ever rejected by `Outline::validate`.
    fn fallback_outline(&self) -> Outline {
        let sections = [
            (H_OVERVIEW, 2),
            (H_BENEFITS, 3),
            (H_GET_STARTED, 2),
            (H_TIPS, 2),
            (H_NEXT, 2),
        ]
        .into_iter()
        .map(|(h, level)| OutlineSection {
            heading: truncate_words(&self.t(h), HEADING_MAX_CHARS),
            level,
            notes: String::new(),
            target_keywords: vec![],
        })
        .collect();
        Outline { sections }
    }
}

/// Stems of the topic words of `text` (no stop words or modifiers).
fn topic_stems(text: &str) -> Vec<String> {
    normalize(text)
        .split(' ')
        .filter(|w| !w.is_empty() && !is_stop_word(w) && !is_modifier(w))
        .map(stem)
        .collect()
}

/// Words an outline needs: an intro and conclusion, about 230 words per h2
/// and 150 per h3, longer for guides and hubs, shorter for landing pages;
/// rounded to 50 and kept within 800–3000.
pub fn estimate_words(outline: &Outline, structure: ContentStructure) -> i32 {
    let h2 = outline.sections.iter().filter(|s| s.level != 3).count() as f64;
    let h3 = outline.sections.iter().filter(|s| s.level == 3).count() as f64;
    let factor = match structure {
        ContentStructure::Guide | ContentStructure::ClusterHub => 1.2,
        ContentStructure::Article => 0.9,
        _ => 1.0,
    };
    let words = (250.0 + 230.0 * h2 + 150.0 * h3) * factor;
    let rounded = ((words / 50.0).round() * 50.0) as i32;
    rounded.clamp(MIN_WORDS, MAX_WORDS)
}

/// Three to five ideas for one cluster (see the module docs).
pub fn generate_ideas(ctx: &IdeaContext) -> IdeasOutput {
    let mut kws: Vec<Kw> = ctx.keywords.iter().filter_map(Kw::new).collect();
    kws.sort_by(|a, b| {
        (std::cmp::Reverse(a.volume), keyword_key(&a.text), &a.text).cmp(&(
            std::cmp::Reverse(b.volume),
            keyword_key(&b.text),
            &b.text,
        ))
    });
    kws.dedup_by(|a, b| keyword_key(&a.text) == keyword_key(&b.text));

    let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut topic = truncate_words(&clean(&ctx.cluster_name), 80);
    if topic.is_empty() {
        topic = kws
            .first()
            .map(|k| title_case(&k.text))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| title_case(&clean(&ctx.sector)));
    }
    if topic.is_empty() {
        topic = "Getting Started".to_owned();
    }
    let seed = format!("{}|{}", topic, ctx.site);
    let generator = Gen {
        lang: Language::parse(ctx.language.as_deref()),
        tone: Tone::parse(ctx.tone.as_deref()),
        topic,
        site: clean(&ctx.site),
        sector: clean(&ctx.sector).to_lowercase(),
        kws,
        seed: &seed,
    };

    let mut ideas: Vec<IdeaOut> = Vec::new();
    let mut primaries: Vec<String> = Vec::new();
    for plan in generator.choose_plans() {
        let idea = generator.idea(plan, &primaries);
        let title_key = idea.title.to_lowercase();
        if ideas.iter().any(|i| i.title.to_lowercase() == title_key) {
            continue;
        }
        if let Some(p) = idea.target_keywords.first() {
            primaries.push(keyword_key(p));
        }
        ideas.push(idea);
    }
    IdeasOutput { ideas }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn kw(keyword: &str, volume: i64, intent: Option<KeywordIntent>) -> KeywordIn {
        KeywordIn {
            id: keyword.into(),
            keyword: keyword.into(),
            volume: Some(volume),
            intent,
        }
    }

    fn ctx(keywords: Vec<KeywordIn>) -> IdeaContext {
        IdeaContext {
            cluster_name: "Running Shoes".into(),
            cluster_description: "Shoes for runners.".into(),
            keywords,
            sector: "Fitness".into(),
            site: "Stride Lab".into(),
            tone: None,
            language: None,
        }
    }

    fn running() -> Vec<KeywordIn> {
        use KeywordIntent::*;
        vec![
            kw("best running shoes for beginners", 40500, Some(Commercial)),
            kw("running shoes for flat feet", 22200, Some(Commercial)),
            kw("nike pegasus vs hoka clifton", 2900, Some(Commercial)),
            kw("trail running shoes women", 14800, Some(Commercial)),
            kw(
                "how often to replace running shoes",
                6600,
                Some(Informational),
            ),
            kw("running shoes sale near me", 4400, Some(Transactional)),
            kw("how to choose running shoes", 5400, Some(Informational)),
            kw("wide toe box running shoes", 8100, Some(Commercial)),
        ]
    }

    /// Every bound the jobs crate relies on.
    fn check(out: &IdeasOutput, cluster: &[KeywordIn]) {
        assert!(
            (MIN_IDEAS..=MAX_IDEAS).contains(&out.ideas.len()),
            "{}",
            out.ideas.len()
        );
        let keys: HashSet<String> = cluster.iter().map(|k| keyword_key(&k.keyword)).collect();
        let mut titles = HashSet::new();
        for idea in &out.ideas {
            assert!(
                titles.insert(idea.title.to_lowercase()),
                "duplicate {}",
                idea.title
            );
            assert!(!idea.title.is_empty() && idea.title.chars().count() <= 200);
            assert!(!idea.description.is_empty());
            let n = idea.outline.sections.len();
            assert!(
                (MIN_SECTIONS..=MAX_SECTIONS).contains(&n),
                "{}: {n}",
                idea.title
            );
            assert_eq!(idea.outline.clone().validate().unwrap(), idea.outline);
            assert!(
                idea.outline.sections.iter().any(|s| s.level == 3),
                "{}",
                idea.title
            );
            assert_eq!(idea.outline.sections[0].level, 2);
            for s in &idea.outline.sections {
                assert!(s.target_keywords.len() <= 3);
                assert!(!s.notes.is_empty());
                if !keys.is_empty() {
                    for k in &s.target_keywords {
                        assert!(keys.contains(&keyword_key(k)), "{k} not in cluster");
                    }
                }
            }
            assert!(!idea.target_keywords.is_empty());
            assert!((MIN_WORDS..=MAX_WORDS).contains(&idea.estimated_word_count));
            assert_eq!(
                idea.estimated_word_count,
                estimate_words(&idea.outline, idea.content_structure)
            );
        }
    }

    #[test]
    fn commercial_clusters_get_comparisons_and_lists() {
        let input = ctx(running());
        let out = generate_ideas(&input);
        check(&out, &input.keywords);
        let structures: Vec<ContentStructure> =
            out.ideas.iter().map(|i| i.content_structure).collect();
        assert_eq!(structures[0], ContentStructure::Listicle);
        assert!(structures.contains(&ContentStructure::Comparison));
        assert!(structures.contains(&ContentStructure::Guide));
        let versus = out
            .ideas
            .iter()
            .find(|i| i.content_structure == ContentStructure::Comparison)
            .unwrap();
        assert_eq!(
            versus.title,
            "Nike Pegasus vs Hoka Clifton: Which Is Better?"
        );
        assert_eq!(versus.target_keywords[0], "nike pegasus vs hoka clifton");
        let best = &out.ideas[0];
        assert_eq!(
            best.title,
            "The Best Running Shoes Options: Top Picks Compared"
        );
        assert_eq!(best.target_keywords[0], "best running shoes for beginners");
        // Keywords become specific headings.
        assert!(
            best.outline
                .sections
                .iter()
                .any(|s| s.heading == "Running Shoes for Flat Feet")
        );
    }

    #[test]
    fn intents_shape_the_ideas() {
        use KeywordIntent::*;
        let informational = ctx(vec![
            kw("how to make a sourdough starter", 100, Some(Informational)),
            kw("sourdough bread recipe", 90, Some(Informational)),
            kw("why is my sourdough dense", 80, Some(Informational)),
        ]);
        let out = generate_ideas(&informational);
        check(&out, &informational.keywords);
        assert_eq!(out.ideas.len(), 3);
        assert_eq!(out.ideas[0].content_structure, ContentStructure::Guide);
        assert_eq!(out.ideas[1].content_structure, ContentStructure::HowTo);
        assert_eq!(
            out.ideas[1].title,
            "How to Make a Sourdough Starter: Step by Step"
        );

        let transactional = ctx(vec![
            kw("solar panel installers near me", 100, Some(Transactional)),
            kw("solar installation quote", 90, Some(Transactional)),
            kw("solar panel installation cost", 80, Some(Transactional)),
        ]);
        let out = generate_ideas(&transactional);
        check(&out, &transactional.keywords);
        assert_eq!(out.ideas[0].content_type, ContentType::Service);
        assert!(out.ideas[0].title.contains("How to Book"));

        let navigational = ctx(vec![
            kw("nike running app", 100, Some(Navigational)),
            kw("nike run club login", 50, Some(Navigational)),
            kw("best running app", 40, Some(Commercial)),
        ]);
        let out = generate_ideas(&navigational);
        check(&out, &navigational.keywords);
        assert_eq!(out.ideas[0].content_structure, ContentStructure::ClusterHub);
        assert_eq!(out.ideas[0].content_type, ContentType::Page);
    }

    #[test]
    fn missing_intents_are_guessed_and_empty_clusters_still_work() {
        let guessed = ctx(vec![
            kw("running shoes near me", 10, None),
            kw("buy running shoes", 10, None),
            kw("running shoe store", 10, None),
        ]);
        let out = generate_ideas(&guessed);
        check(&out, &guessed.keywords);
        assert_eq!(out.ideas[0].content_type, ContentType::Product);

        let mut empty = ctx(vec![]);
        let out = generate_ideas(&empty);
        check(&out, &[]);
        assert_eq!(out.ideas[0].target_keywords, vec!["Running Shoes"]);

        empty.cluster_name = "   ".into();
        empty.sector = String::new();
        let out = generate_ideas(&empty);
        check(&out, &[]);
        assert!(out.ideas[0].title.contains("Getting Started"));

        // Bad keyword text is skipped, not fatal.
        let bad = ctx(vec![
            kw("   ", 5, None),
            kw(&"x".repeat(300), 5, None),
            kw("ok shoes", 1, None),
        ]);
        let out = generate_ideas(&bad);
        check(&out, &bad.keywords);
    }

    #[test]
    fn language_and_tone_change_the_wording() {
        let mut input = ctx(running());
        let en = generate_ideas(&input);
        input.language = Some("es".into());
        let es = generate_ideas(&input);
        check(&es, &input.keywords);
        assert_eq!(
            es.ideas[0].title,
            "Las mejores opciones de Running Shoes: comparativa"
        );
        assert!(es.ideas.iter().any(|i| {
            i.outline
                .sections
                .iter()
                .any(|s| s.heading == "Preguntas frecuentes")
        }));
        input.language = Some("de".into());
        let de = generate_ideas(&input);
        assert!(de.ideas.iter().any(|i| i.title.contains("Vergleich")));
        input.language = Some("fr".into());
        let fr = generate_ideas(&input);
        assert!(fr.ideas[0].title.starts_with("Les meilleures"));
        // Same plans in every language.
        let shape = |o: &IdeasOutput| {
            o.ideas
                .iter()
                .map(|i| (i.content_structure, i.outline.sections.len()))
                .collect::<Vec<_>>()
        };
        assert_eq!(shape(&en), shape(&es));

        input.language = None;
        input.tone = Some("friendly".into());
        let friendly = generate_ideas(&input);
        assert_ne!(friendly.ideas[0].description, en.ideas[0].description);
        assert!(friendly.ideas[0].description.contains("friendly"));
        input.tone = Some("authoritative".into());
        let expert = generate_ideas(&input);
        assert!(expert.ideas[0].description.contains("definitive"));
        input.tone = Some("whimsical".into());
        assert_eq!(generate_ideas(&input), en);
    }

    #[test]
    fn ideas_are_deterministic_and_round_trip() {
        let input = ctx(running());
        let a = generate_ideas(&input);
        assert_eq!(generate_ideas(&input), a);
        let mut reversed = input.clone();
        reversed.keywords.reverse();
        assert_eq!(generate_ideas(&reversed), a);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<IdeasOutput>(&json).unwrap(), a);
    }

    #[test]
    fn word_estimates_follow_the_outline() {
        let section = |level| OutlineSection {
            heading: "h".into(),
            level,
            notes: String::new(),
            target_keywords: vec![],
        };
        let small = Outline {
            sections: vec![section(2); 4],
        };
        let big = Outline {
            sections: [vec![section(2); 5], vec![section(3); 4]].concat(),
        };
        let s = estimate_words(&small, ContentStructure::Listicle);
        let b = estimate_words(&big, ContentStructure::Listicle);
        assert!(s < b && s >= MIN_WORDS && b <= MAX_WORDS, "{s} {b}");
        assert_eq!(
            estimate_words(
                &Outline {
                    sections: vec![section(2); 50]
                },
                ContentStructure::Guide
            ),
            MAX_WORDS
        );
    }
}
