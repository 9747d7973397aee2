//! Offline article writing (`generate_content`, JOB-1/JOB-7): structured
//! HTML that follows an idea's outline and lands near its word count.
//!
//! The article is an intro, every outline section as `<h2>`/`<h3>` with
//! paragraphs, and a conclusion. The structure adds what readers expect of
//! it: an `<ol>` for lists and how-to steps, a `<table>` for comparisons, a
//! `<ul>` for guides, hubs and reviews. Prose comes from deterministic
//! sentence templates filled with the section's heading and keywords, in
//! the requested tone and language (keywords themselves are never
//! translated). The length is planned: fixed parts are counted first and
//! the remaining words are spread over the paragraphs by weight, so the
//! total lands within a few percent of the target.

use super::text::{
    Language, Tone, capitalize_first, escape_html, hash_parts, is_modifier, is_stop_word,
    normalize, truncate_words,
};
use crate::html::word_count;
use crate::outline::Outline;
use crate::planner::{ContentStructure, keyword_key, keyword_text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleContext {
    pub title: String,
    pub description: String,
    pub outline: Outline,
    pub target_keywords: Vec<String>,
    pub content_structure: ContentStructure,
    pub estimated_word_count: i32,
    pub sector: String,
    pub site: String,
    pub tone: Option<String>,
    pub language: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ArticleOut {
    /// Sanitiser-clean HTML (only allow-listed tags, no attributes).
    pub html: String,
    /// At most 60 characters.
    pub meta_title: String,
    /// At most 160 characters.
    pub meta_description: String,
    pub primary_keyword: String,
    /// At most 10.
    pub secondary_keywords: Vec<String>,
}

pub const MIN_TARGET_WORDS: i32 = 300;
pub const MAX_TARGET_WORDS: i32 = 5000;
pub const META_TITLE_MAX: usize = 60;
pub const META_DESCRIPTION_MAX: usize = 160;
pub const MAX_SECONDARY_KEYWORDS: usize = 10;

type L = [&'static str; 4];

/// The conclusion heading (image prompts skip it, so keep it recognisable).
pub const CONCLUSION: L = ["Conclusion", "Conclusión", "Conclusion", "Fazit"];

/// Intro sentences per tone, then the site sentence.
const INTRO: [[[&str; 3]; 4]; 3] = [
    // Professional.
    [
        [
            "{T} is a subject many {aud} research carefully before they act.",
            "This article explains what matters most, what to watch for and how to move forward with confidence.",
            "At {s}, we have gathered the essentials in one place.",
        ],
        [
            "{T} es un tema que muchos {aud} estudian con detenimiento antes de actuar.",
            "Este artículo explica lo más importante, qué vigilar y cómo avanzar con confianza.",
            "En {s} hemos reunido lo esencial en un solo lugar.",
        ],
        [
            "{T} est un sujet que beaucoup de {aud} étudient avec soin avant d'agir.",
            "Cet article explique l'essentiel, les points de vigilance et la manière d'avancer sereinement.",
            "Chez {s}, nous avons réuni l'essentiel au même endroit.",
        ],
        [
            "{T} ist ein Thema, mit dem sich viele {aud} sorgfältig beschäftigen, bevor sie handeln.",
            "Dieser Artikel erklärt, worauf es ankommt, worauf Sie achten sollten und wie Sie sicher vorgehen.",
            "Bei {s} haben wir das Wichtigste an einem Ort zusammengestellt.",
        ],
    ],
    // Friendly.
    [
        [
            "Thinking about {t}? You're in good company, and you're in the right place.",
            "Let's walk through it together, with plain language and plenty of practical tips.",
            "Here at {s}, we love helping people figure this out.",
        ],
        [
            "¿Estás pensando en {t}? No eres el único, y estás en el lugar adecuado.",
            "Vamos a verlo juntos, con un lenguaje sencillo y muchos consejos prácticos.",
            "En {s} nos encanta ayudarte con esto.",
        ],
        [
            "Vous vous intéressez à {t} ? Vous n'êtes pas seul, et vous êtes au bon endroit.",
            "Voyons cela ensemble, simplement et avec plein de conseils pratiques.",
            "Chez {s}, nous adorons vous aider à y voir clair.",
        ],
        [
            "Sie interessieren sich für {t}? Damit sind Sie nicht allein, und hier sind Sie genau richtig.",
            "Gehen wir es gemeinsam an, in einfacher Sprache und mit vielen praktischen Tipps.",
            "Bei {s} helfen wir Ihnen gern dabei.",
        ],
    ],
    // Authoritative.
    [
        [
            "{T} rewards those who understand it properly, yet most advice stops at the surface.",
            "This article sets out the established principles and the decisions that follow from them.",
            "{S} has distilled years of experience into the guidance below.",
        ],
        [
            "{T} recompensa a quien lo entiende a fondo, pero la mayoría de los consejos se quedan en la superficie.",
            "Este artículo expone los principios establecidos y las decisiones que se derivan de ellos.",
            "{S} ha condensado años de experiencia en las siguientes recomendaciones.",
        ],
        [
            "{T} récompense ceux qui le maîtrisent vraiment, alors que la plupart des conseils restent superficiels.",
            "Cet article expose les principes établis et les décisions qui en découlent.",
            "{S} a condensé des années d'expérience dans les recommandations qui suivent.",
        ],
        [
            "{T} belohnt alle, die es wirklich verstehen, doch die meisten Ratschläge bleiben oberflächlich.",
            "Dieser Artikel legt die bewährten Grundsätze und die daraus folgenden Entscheidungen dar.",
            "{S} hat jahrelange Erfahrung in die folgenden Empfehlungen einfließen lassen.",
        ],
    ],
];

/// Audience, with and without a sector.
const AUDIENCE: [L; 2] = [
    [
        "{x} readers",
        "lectores de {x}",
        "lecteurs du secteur {x}",
        "Leser aus dem Bereich {x}",
    ],
    ["readers", "lectores", "lecteurs", "Leser"],
];

/// The first sentence of an h2 section, per tone.
const TRANSITIONS: [[[&str; 3]; 4]; 3] = [
    [
        [
            "Next, consider {h}.",
            "The next area to examine is {h}.",
            "{H} is where many decisions are made.",
        ],
        [
            "A continuación, veamos {h}.",
            "El siguiente aspecto que conviene analizar es {h}.",
            "En {h} se toman muchas decisiones.",
        ],
        [
            "Examinons maintenant {h}.",
            "Le point suivant concerne {h}.",
            "C'est avec {h} que beaucoup de décisions se prennent.",
        ],
        [
            "Als Nächstes geht es um {h}.",
            "Der nächste Punkt betrifft {h}.",
            "Bei {h} fallen viele Entscheidungen.",
        ],
    ],
    [
        [
            "Now let's talk about {h}.",
            "Ready for the next bit? It's all about {h}.",
            "Here's where {h} comes in.",
        ],
        [
            "Ahora hablemos de {h}.",
            "¿Listo para lo siguiente? Toca hablar de {h}.",
            "Aquí es donde entra {h}.",
        ],
        [
            "Parlons maintenant de {h}.",
            "Prêt pour la suite ? Place à {h}.",
            "C'est ici qu'intervient {h}.",
        ],
        [
            "Jetzt reden wir über {h}.",
            "Bereit für den nächsten Schritt? Es geht um {h}.",
            "Hier kommt {h} ins Spiel.",
        ],
    ],
    [
        [
            "{H} demands careful attention.",
            "No serious discussion of {t} can skip {h}.",
            "The evidence on {h} is clear.",
        ],
        [
            "{H} exige una atención rigurosa.",
            "Ningún análisis serio de {t} puede omitir {h}.",
            "La evidencia sobre {h} es clara.",
        ],
        [
            "{H} exige une attention rigoureuse.",
            "Aucune analyse sérieuse de {t} ne peut ignorer {h}.",
            "Les faits concernant {h} sont clairs.",
        ],
        [
            "{H} verdient besondere Sorgfalt.",
            "Keine ernsthafte Betrachtung von {t} kommt an {h} vorbei.",
            "Die Fakten zu {h} sind eindeutig.",
        ],
    ],
];

/// Lead-ins put before some body sentences, per tone.
const CONNECTORS: [[[&str; 3]; 4]; 3] = [
    [
        ["In practice:", "Note:", "As a rule:"],
        ["En la práctica:", "Nota:", "Por regla general:"],
        ["En pratique :", "À noter :", "En règle générale :"],
        ["In der Praxis:", "Hinweis:", "In der Regel:"],
    ],
    [
        ["Here's a tip:", "Good news:", "Honestly?"],
        ["Un consejo:", "Buena noticia:", "Sinceramente:"],
        ["Petit conseil :", "Bonne nouvelle :", "Franchement :"],
        ["Kleiner Tipp:", "Gute Nachricht:", "Ganz ehrlich:"],
    ],
    [
        [
            "The evidence is clear:",
            "Make no mistake:",
            "Key principle:",
        ],
        [
            "La evidencia es clara:",
            "Sin lugar a dudas:",
            "Principio clave:",
        ],
        [
            "Les faits sont clairs :",
            "Sans aucun doute :",
            "Principe essentiel :",
        ],
        [
            "Die Fakten sind eindeutig:",
            "Ohne Zweifel:",
            "Grundprinzip:",
        ],
    ],
];

const CONCLUSIONS: [[[&str; 2]; 4]; 3] = [
    [
        [
            "{T} comes down to clear goals, careful comparison and steady follow-through.",
            "Use the points above as a checklist and revisit them as your needs change.",
        ],
        [
            "{T} se reduce a objetivos claros, una comparación cuidadosa y constancia.",
            "Usa los puntos anteriores como lista de control y revísalos cuando cambien tus necesidades.",
        ],
        [
            "{T} repose sur des objectifs clairs, une comparaison attentive et de la constance.",
            "Utilisez les points ci-dessus comme liste de contrôle et revenez-y lorsque vos besoins évoluent.",
        ],
        [
            "Bei {t} kommt es auf klare Ziele, sorgfältige Vergleiche und Beständigkeit an.",
            "Nutzen Sie die Punkte oben als Checkliste und prüfen Sie sie erneut, wenn sich Ihre Anforderungen ändern.",
        ],
    ],
    [
        [
            "That's a wrap on {t}! You've got everything you need to get going.",
            "Pick one idea from this article, try it this week, and see how it feels.",
        ],
        [
            "¡Y eso es todo sobre {t}! Ya tienes lo necesario para empezar.",
            "Elige una idea de este artículo, pruébala esta semana y observa el resultado.",
        ],
        [
            "Voilà pour {t} ! Vous avez tout ce qu'il faut pour vous lancer.",
            "Choisissez une idée de cet article, testez-la cette semaine et voyez ce que ça donne.",
        ],
        [
            "Das war's zu {t}! Jetzt haben Sie alles, was Sie für den Start brauchen.",
            "Suchen Sie sich eine Idee aus diesem Artikel aus, probieren Sie sie diese Woche aus und schauen Sie, wie es läuft.",
        ],
    ],
    [
        [
            "The principles behind {t} are well established: apply them consistently and the results follow.",
            "Treat this article as your reference point and return to it whenever a decision is due.",
        ],
        [
            "Los principios de {t} están bien establecidos: aplícalos con constancia y los resultados llegarán.",
            "Toma este artículo como referencia y vuelve a él cada vez que debas decidir.",
        ],
        [
            "Les principes de {t} sont bien établis : appliquez-les avec rigueur et les résultats suivront.",
            "Considérez cet article comme votre référence et revenez-y à chaque décision importante.",
        ],
        [
            "Die Grundsätze von {t} sind klar belegt: Wer sie konsequent anwendet, erzielt Ergebnisse.",
            "Betrachten Sie diesen Artikel als Referenz und greifen Sie bei jeder Entscheidung darauf zurück.",
        ],
    ],
];

const BODY_EN: &[&str] = &[
    "When it comes to {h}, {k} is often the deciding factor.",
    "Most people start by asking how {k} fits their situation, and that is a sensible place to begin.",
    "A clear plan makes {h} far easier to handle, especially when {k} is involved.",
    "It helps to write down what you want from {t} before comparing options.",
    "Small, consistent improvements usually beat one big change made in a hurry.",
    "Look for evidence from people who have already dealt with {k} in a similar setting.",
    "Budget, time and experience all shape the right answer here.",
    "If you are unsure, start with the simplest option and adjust as you learn.",
    "The details of {h} matter more than most guides admit.",
    "Keep notes on what works for you; they make later decisions about {t} much quicker.",
    "Quality usually matters more than quantity, and {k} is no exception.",
    "A short checklist prevents the most common mistakes with {h}.",
    "Compare at least two or three options before you commit to anything.",
    "Timing can make a real difference, so plan {h} around your schedule rather than the other way round.",
    "Experts tend to agree on the basics, even when they disagree on the finer points of {k}.",
    "Do not overlook maintenance and follow-up; they decide how well {t} works over time.",
    "The right choice depends on your goals, so define them before you look at {k}.",
    "Reviews and real-world examples are a useful check on any claim about {k}.",
    "Avoid shortcuts that promise fast results without explaining how they work.",
    "Once the basics are in place, {h} becomes much more predictable.",
    "It is worth revisiting your approach to {k} every few months as your needs change.",
    "Clear priorities make it easier to say no to options that do not fit.",
    "Practical experience with {k} is the best teacher, so start small and learn as you go.",
    "Ask what success with {h} would look like for you, then work backwards from there.",
];

const BODY_ES: &[&str] = &[
    "En lo que respecta a {h}, {k} suele ser el factor decisivo.",
    "Conviene tener claro qué esperas de {t} antes de comparar opciones.",
    "Un plan claro hace que {h} resulte mucho más sencillo, sobre todo cuando se trata de {k}.",
    "Las mejoras pequeñas y constantes suelen dar mejores resultados que un gran cambio apresurado.",
    "Busca experiencias de personas que ya se hayan enfrentado a {k} en una situación parecida.",
    "El presupuesto, el tiempo y la experiencia influyen en la respuesta correcta.",
    "Si tienes dudas, empieza por la opción más sencilla y ajusta sobre la marcha.",
    "Los detalles de {h} importan más de lo que admiten la mayoría de las guías.",
    "Anota lo que te funciona; así tus próximas decisiones sobre {t} serán más rápidas.",
    "Compara al menos dos o tres opciones antes de comprometerte.",
    "No descuides el mantenimiento: determina cómo funciona {t} con el tiempo.",
    "La experiencia práctica con {k} es la mejor maestra, así que empieza poco a poco.",
];

const BODY_FR: &[&str] = &[
    "En matière de {h}, {k} est souvent le facteur décisif.",
    "Mieux vaut savoir ce que vous attendez de {t} avant de comparer les options.",
    "Un plan clair rend {h} beaucoup plus simple, surtout lorsqu'il s'agit de {k}.",
    "De petites améliorations régulières valent mieux qu'un grand changement précipité.",
    "Appuyez-vous sur l'expérience de personnes qui ont déjà abordé {k} dans une situation similaire.",
    "Le budget, le temps et l'expérience influencent tous la bonne réponse.",
    "En cas de doute, commencez par l'option la plus simple et ajustez au fil de l'eau.",
    "Les détails de {h} comptent plus que ne l'admettent la plupart des guides.",
    "Notez ce qui fonctionne pour vous : vos prochaines décisions sur {t} seront plus rapides.",
    "Comparez au moins deux ou trois options avant de vous engager.",
    "Ne négligez pas l'entretien : c'est lui qui détermine la réussite de {t} dans la durée.",
    "L'expérience pratique de {k} reste le meilleur professeur, alors commencez modestement.",
];

const BODY_DE: &[&str] = &[
    "Bei {h} ist {k} oft der entscheidende Faktor.",
    "Klären Sie zuerst, was Sie von {t} erwarten, bevor Sie Optionen vergleichen.",
    "Ein klarer Plan macht {h} deutlich einfacher, besonders wenn es um {k} geht.",
    "Kleine, regelmäßige Verbesserungen bringen meist mehr als eine große, überstürzte Änderung.",
    "Achten Sie auf Erfahrungen von Menschen, die sich bereits mit {k} beschäftigt haben.",
    "Budget, Zeit und Erfahrung bestimmen gemeinsam die richtige Antwort.",
    "Wenn Sie unsicher sind, beginnen Sie mit der einfachsten Option und passen Sie sie nach und nach an.",
    "Die Details von {h} sind wichtiger, als die meisten Ratgeber zugeben.",
    "Notieren Sie, was für Sie funktioniert; so fallen spätere Entscheidungen zu {t} leichter.",
    "Vergleichen Sie mindestens zwei oder drei Optionen, bevor Sie sich festlegen.",
    "Vernachlässigen Sie die Pflege nicht: Sie entscheidet, wie gut {t} langfristig funktioniert.",
    "Praktische Erfahrung mit {k} ist der beste Lehrer, also fangen Sie klein an.",
];

const LIST_LEAD: L = [
    "Here is what this list covers:",
    "Esto es lo que cubre esta lista:",
    "Voici ce que couvre cette liste :",
    "Das erwartet Sie in dieser Liste:",
];
const GUIDE_LEAD: L = [
    "This guide covers:",
    "Esta guía trata:",
    "Ce guide aborde :",
    "Dieser Leitfaden behandelt:",
];
const STEP_LEAD: L = [
    "Follow these steps in order:",
    "Sigue estos pasos en orden:",
    "Suivez ces étapes dans l'ordre :",
    "Gehen Sie Schritt für Schritt vor:",
];
const DEFAULT_STEPS: [L; 4] = [
    [
        "Set a clear goal for {t}.",
        "Define un objetivo claro para {t}.",
        "Fixez un objectif clair pour {t}.",
        "Legen Sie ein klares Ziel für {t} fest.",
    ],
    [
        "Gather what you need before you begin.",
        "Reúne lo que necesitas antes de empezar.",
        "Rassemblez ce dont vous avez besoin avant de commencer.",
        "Besorgen Sie alles Nötige, bevor Sie beginnen.",
    ],
    [
        "Work through the task one stage at a time.",
        "Avanza etapa por etapa.",
        "Avancez une étape à la fois.",
        "Arbeiten Sie sich Etappe für Etappe vor.",
    ],
    [
        "Check the result and adjust where needed.",
        "Revisa el resultado y ajusta lo necesario.",
        "Vérifiez le résultat et ajustez si nécessaire.",
        "Prüfen Sie das Ergebnis und passen Sie es bei Bedarf an.",
    ],
];
const PROS_LEAD: L = [
    "What stands out:",
    "Lo más destacado:",
    "Les points forts :",
    "Das überzeugt:",
];
const PROS: [L; 3] = [
    [
        "Clear benefits for anyone interested in {t}",
        "Ventajas claras para quien se interese por {t}",
        "Des avantages nets pour toute personne intéressée par {t}",
        "Klare Vorteile für alle, die sich für {t} interessieren",
    ],
    [
        "Good value compared with similar options",
        "Buena relación calidad-precio frente a opciones similares",
        "Un bon rapport qualité-prix face aux options similaires",
        "Gutes Preis-Leistungs-Verhältnis im Vergleich zu ähnlichen Optionen",
    ],
    [
        "Easy to get started with, even for beginners",
        "Fácil de empezar, incluso para principiantes",
        "Facile à prendre en main, même pour les débutants",
        "Einfacher Einstieg, auch für Anfänger",
    ],
];
const TABLE_LEAD: L = [
    "The table below summarises the key differences.",
    "La tabla siguiente resume las diferencias clave.",
    "Le tableau ci-dessous résume les principales différences.",
    "Die Tabelle unten fasst die wichtigsten Unterschiede zusammen.",
];
const CRITERION: L = ["Criterion", "Criterio", "Critère", "Kriterium"];
const CRITERIA: [L; 4] = [
    [
        "Price and value",
        "Precio y valor",
        "Prix et rapport qualité-prix",
        "Preis und Leistung",
    ],
    [
        "Ease of use",
        "Facilidad de uso",
        "Facilité d'utilisation",
        "Bedienkomfort",
    ],
    ["Best for", "Ideal para", "Idéal pour", "Ideal für"],
    [
        "Overall",
        "Valoración global",
        "Note globale",
        "Gesamturteil",
    ],
];
const RATINGS: [L; 3] = [
    ["Excellent", "Excelente", "Excellent", "Ausgezeichnet"],
    ["Very good", "Muy bueno", "Très bon", "Sehr gut"],
    ["Good", "Bueno", "Bon", "Gut"],
];
const AUDIENCES: [L; 2] = [
    ["Beginners", "Principiantes", "Débutants", "Einsteiger"],
    [
        "Experienced users",
        "Usuarios con experiencia",
        "Utilisateurs expérimentés",
        "Erfahrene Nutzer",
    ],
];
const OPTION: L = ["Option {x}", "Opción {x}", "Option {x}", "Option {x}"];
const DEFAULT_SECTIONS: [L; 3] = [
    ["Overview", "Resumen", "Vue d'ensemble", "Überblick"],
    [
        "Key Considerations",
        "Aspectos clave",
        "Points clés",
        "Wichtige Überlegungen",
    ],
    [
        "Practical Tips",
        "Consejos prácticos",
        "Conseils pratiques",
        "Praktische Tipps",
    ],
];
const META_DESCRIPTION: L = [
    "{T}: what matters, what to watch for and how to decide. A practical overview.",
    "{T}: lo que importa, qué vigilar y cómo decidir. Una guía práctica.",
    "{T} : ce qui compte, les points de vigilance et comment décider. Un aperçu pratique.",
    "{T}: worauf es ankommt, worauf Sie achten sollten und wie Sie entscheiden. Ein praktischer Überblick.",
];

fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Blocks of the article before rendering.
#[derive(Debug, Clone)]
enum Block {
    H2(String),
    H3(String),
    /// Sentences; rendered as one or more paragraphs.
    P(Vec<String>),
    Ol(Vec<String>),
    Ul(Vec<String>),
    Table(Vec<String>, Vec<Vec<String>>),
}

/// Sentences per paragraph before a new `<p>` starts.
const SENTENCES_PER_PARAGRAPH: usize = 4;

fn render(block: &Block, out: &mut String) {
    let e = escape_html;
    match block {
        Block::H2(h) => out.push_str(&format!("<h2>{}</h2>", e(h))),
        Block::H3(h) => out.push_str(&format!("<h3>{}</h3>", e(h))),
        Block::P(sentences) => {
            for chunk in sentences.chunks(SENTENCES_PER_PARAGRAPH) {
                out.push_str(&format!("<p>{}</p>", e(&chunk.join(" "))));
            }
        }
        Block::Ol(items) | Block::Ul(items) => {
            let tag = if matches!(block, Block::Ol(_)) {
                "ol"
            } else {
                "ul"
            };
            out.push_str(&format!("<{tag}>"));
            for item in items {
                out.push_str(&format!("<li>{}</li>", e(item)));
            }
            out.push_str(&format!("</{tag}>"));
        }
        Block::Table(head, rows) => {
            out.push_str("<table><thead><tr>");
            for h in head {
                out.push_str(&format!("<th>{}</th>", e(h)));
            }
            out.push_str("</tr></thead><tbody>");
            for row in rows {
                out.push_str("<tr>");
                for cell in row {
                    out.push_str(&format!("<td>{}</td>", e(cell)));
                }
                out.push_str("</tr>");
            }
            out.push_str("</tbody></table>");
        }
    }
    out.push('\n');
}

fn render_all(blocks: &[Block]) -> String {
    let mut html = String::new();
    for b in blocks {
        render(b, &mut html);
    }
    html
}

/// Words a reader sees in a piece of plain text, counted exactly as
/// `crate::html::word_count` counts them in the rendered article.
fn words_in(text: &str) -> i32 {
    word_count(&escape_html(text))
}

/// A section of the article: its heading, keywords and a paragraph to fill.
struct Section {
    heading: String,
    level: u8,
    keywords: Vec<String>,
}

struct Writer<'a> {
    lang: Language,
    tone: Tone,
    /// The primary keyword, as given.
    topic: String,
    keywords: &'a [String],
    seed: String,
    /// Next body template per language pool.
    body_cursor: usize,
    sentence_no: usize,
}

impl Writer<'_> {
    fn tone_index(&self) -> usize {
        match self.tone {
            Tone::Professional => 0,
            Tone::Friendly => 1,
            Tone::Authoritative => 2,
        }
    }

    fn lang_index(&self) -> usize {
        self.lang as usize
    }

    fn body_pool(&self) -> &'static [&'static str] {
        match self.lang {
            Language::En => BODY_EN,
            Language::Es => BODY_ES,
            Language::Fr => BODY_FR,
            Language::De => BODY_DE,
        }
    }

    fn pick(&self, salt: &str, n: usize) -> usize {
        (hash_parts(&[&self.seed, salt]) % n.max(1) as u64) as usize
    }

    /// The next body sentence for a section: templates rotate so a section
    /// never repeats one until all have been used; keywords rotate too.
    fn body_sentence(&mut self, section: &Section) -> String {
        let pool = self.body_pool();
        let template = pool[self.body_cursor % pool.len()];
        self.body_cursor += 1;
        self.sentence_no += 1;
        let keyword = if section.keywords.is_empty() {
            if self.keywords.is_empty() {
                self.topic.clone()
            } else {
                self.keywords[self.sentence_no % self.keywords.len()].clone()
            }
        } else {
            section.keywords[self.sentence_no % section.keywords.len()].clone()
        };
        let h = heading_phrase(&section.heading);
        let sentence = fill(template, &[("h", &h), ("k", &keyword), ("t", &self.topic)]);
        let sentence = capitalize_first(&sentence);
        if self.sentence_no.is_multiple_of(3) {
            let connectors = CONNECTORS[self.tone_index()][self.lang_index()];
            let c = connectors[(self.sentence_no / 3) % connectors.len()];
            format!("{c} {sentence}")
        } else {
            sentence
        }
    }

    fn transition(&self, section: &Section, i: usize) -> String {
        let options = TRANSITIONS[self.tone_index()][self.lang_index()];
        let template = options[self.pick(&format!("transition{i}"), options.len())];
        let h = heading_phrase(&section.heading);
        capitalize_first(&fill(
            template,
            &[("h", &h), ("H", &capitalize_first(&h)), ("t", &self.topic)],
        ))
    }
}

/// A heading as it reads inside a sentence: lower-cased unless a word looks
/// like a name or acronym (capitals after the first letter), colons turned
/// into dashes, and no trailing question mark.
fn heading_phrase(heading: &str) -> String {
    let words: Vec<String> = heading
        .trim_end_matches(['?', '!', '.', ' '])
        .split_whitespace()
        .map(|w| {
            // "iPhone", "NASA" keep their case; "Head-to-Head" does not.
            let named = w
                .split('-')
                .any(|part| part.chars().skip(1).any(char::is_uppercase));
            if named {
                w.to_owned()
            } else {
                w.to_lowercase()
            }
        })
        .collect();
    words.join(" ").replace(" :", ":").replace(": ", " – ")
}

/// "Step 2: Prepare" → "Prepare", for list items under a numbered `<ol>`.
fn strip_step_number(heading: &str) -> String {
    match heading.split_once(':') {
        Some((before, after))
            if before.chars().any(|c| c.is_ascii_digit()) && !after.trim().is_empty() =>
        {
            after.trim().to_owned()
        }
        _ => heading.to_owned(),
    }
}

/// Cleaned target keywords: valid keyword text, no duplicates (case-
/// insensitive, first kept).
fn clean_keywords(raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for k in raw {
        if let Ok(k) = keyword_text(k) {
            let key = keyword_key(&k);
            if !keys.contains(&key) {
                keys.push(key);
                out.push(k);
            }
        }
    }
    out
}

/// A primary keyword from a title when the idea has none: its first run of
/// two or more topic words, else its longest single one ("The Complete
/// Guide to Running Shoes" → "running shoes").
fn keyword_from_title(title: &str) -> String {
    let norm = normalize(title);
    let generic = ["guide", "complete", "step", "tips", "ways", "things"];
    let mut runs: Vec<Vec<&str>> = vec![vec![]];
    for w in norm.split(' ').filter(|w| !w.is_empty()) {
        if is_stop_word(w) || is_modifier(w) || generic.contains(&w) {
            runs.push(vec![]);
        } else if let Some(run) = runs.last_mut() {
            run.push(w);
        }
    }
    // The longest single word, the first on ties.
    let longest = || {
        runs.iter()
            .enumerate()
            .filter(|(_, r)| !r.is_empty())
            .min_by_key(|(i, r)| {
                (
                    std::cmp::Reverse(r.iter().map(|w| w.len()).sum::<usize>()),
                    *i,
                )
            })
            .map(|(_, r)| r)
    };
    let pick = runs.iter().find(|r| r.len() >= 2).or_else(longest);
    match pick {
        Some(run) => run.join(" "),
        None => norm,
    }
}

/// The two sides compared by a "X vs Y" title or keyword.
fn versus(text: &str) -> Option<(String, String)> {
    let lower = text.to_lowercase();
    for sep in [" vs. ", " vs ", " versus "] {
        if let Some(at) = lower.find(sep) {
            let a = text[..at].trim();
            let b = text[at + sep.len()..]
                .split([':', '?', '|'])
                .next()
                .unwrap_or_default()
                .trim();
            if !a.is_empty() && !b.is_empty() {
                return Some((a.to_owned(), b.to_owned()));
            }
        }
    }
    None
}

/// Writes the article (see the module docs).
pub fn generate_article(ctx: &ArticleContext) -> ArticleOut {
    let lang = Language::parse(ctx.language.as_deref());
    let tone = Tone::parse(ctx.tone.as_deref());
    let li = lang as usize;
    let ti = match tone {
        Tone::Professional => 0,
        Tone::Friendly => 1,
        Tone::Authoritative => 2,
    };
    let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = clean(&ctx.title);
    let site = clean(&ctx.site);
    let sector = clean(&ctx.sector).to_lowercase();

    let keywords = clean_keywords(&ctx.target_keywords);
    let primary = keywords.first().cloned().unwrap_or_else(|| {
        let derived = keyword_from_title(&title);
        keyword_text(&derived).unwrap_or_else(|_| "article".to_owned())
    });
    let secondary: Vec<String> = keywords
        .iter()
        .skip(1)
        .take(MAX_SECONDARY_KEYWORDS)
        .cloned()
        .collect();
    let target = ctx
        .estimated_word_count
        .clamp(MIN_TARGET_WORDS, MAX_TARGET_WORDS);

    let mut sections: Vec<Section> = ctx
        .outline
        .sections
        .iter()
        .filter_map(|s| {
            let heading = truncate_words(&s.heading, 200);
            (!heading.is_empty()).then(|| Section {
                heading,
                level: if s.level == 3 { 3 } else { 2 },
                keywords: clean_keywords(&s.target_keywords),
            })
        })
        .collect();
    if sections.is_empty() {
        sections = DEFAULT_SECTIONS
            .iter()
            .zip(std::iter::once(&primary).chain(&secondary).cycle())
            .map(|(h, k)| Section {
                heading: lang.pick(*h).to_owned(),
                level: 2,
                keywords: vec![k.clone()],
            })
            .collect();
    }

    let mut writer = Writer {
        lang,
        tone,
        topic: primary.clone(),
        keywords: &keywords,
        seed: format!("{title}|{primary}|{site}"),
        body_cursor: 0,
        sentence_no: 0,
    };
    writer.body_cursor = writer.pick("start", writer.body_pool().len());

    // Skeleton: every block with its minimum text; `slots` are the
    // paragraphs that grow, with their weights.
    let mut blocks: Vec<Block> = Vec::new();
    // (block, weight, section index; None for the intro and conclusion)
    let mut slots: Vec<(usize, f64, Option<usize>)> = Vec::new();

    let audience = if sector.is_empty() {
        lang.pick(AUDIENCE[1]).to_owned()
    } else {
        fill(lang.pick(AUDIENCE[0]), &[("x", &sector)])
    };
    let intro = INTRO[ti][li];
    let vars = [
        ("T", capitalize_first(&primary)),
        ("t", primary.clone()),
        ("aud", audience),
        ("s", site.clone()),
        ("S", capitalize_first(&site)),
    ];
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut intro_sentences = vec![fill(intro[0], &vars), fill(intro[1], &vars)];
    if !site.is_empty() {
        intro_sentences.push(fill(intro[2], &vars));
    }
    // Intro and conclusion sentences speak about the primary keyword.
    let intro_section = Section {
        heading: primary.clone(),
        level: 2,
        keywords: keywords.clone(),
    };
    blocks.push(Block::P(intro_sentences));
    slots.push((blocks.len() - 1, 0.6, None));

    let h2_headings: Vec<String> = sections
        .iter()
        .filter(|s| s.level == 2)
        .map(|s| s.heading.clone())
        .collect();
    match ctx.content_structure {
        ContentStructure::Listicle => {
            blocks.push(Block::P(vec![lang.pick(LIST_LEAD).to_owned()]));
            blocks.push(Block::Ol(h2_headings.clone()));
        }
        ContentStructure::Guide | ContentStructure::ClusterHub => {
            blocks.push(Block::P(vec![lang.pick(GUIDE_LEAD).to_owned()]));
            blocks.push(Block::Ul(h2_headings.clone()));
        }
        _ => {}
    }

    // Where the structure's extra block goes: the first h2 with h3
    // children for steps, the comparison-looking (else middle) h2 for a
    // table, the second h2 for a review's highlights.
    let h2_positions: Vec<usize> = (0..sections.len())
        .filter(|&i| sections[i].level == 2)
        .collect();
    let feature_at: Option<usize> = match ctx.content_structure {
        ContentStructure::HowTo => h2_positions
            .iter()
            .copied()
            .find(|&i| sections.get(i + 1).is_some_and(|s| s.level == 3))
            .or_else(|| h2_positions.get(1).or(h2_positions.first()).copied()),
        ContentStructure::Comparison => {
            let comparative = [
                "compar",
                "vs",
                "versus",
                "head",
                "vergleich",
                "glance",
                "vistazo",
                "coup d",
                "blick",
            ];
            h2_positions
                .iter()
                .copied()
                .find(|&i| {
                    let h = sections[i].heading.to_lowercase();
                    comparative.iter().any(|c| h.contains(c))
                })
                .or_else(|| h2_positions.get(h2_positions.len() / 2).copied())
        }
        ContentStructure::Review => h2_positions.get(1).or(h2_positions.first()).copied(),
        _ => None,
    };

    for (i, section) in sections.iter().enumerate() {
        if section.level == 3 {
            blocks.push(Block::H3(section.heading.clone()));
            let first = writer.body_sentence(section);
            blocks.push(Block::P(vec![first]));
            slots.push((blocks.len() - 1, 0.7, Some(i)));
        } else {
            blocks.push(Block::H2(section.heading.clone()));
            blocks.push(Block::P(vec![writer.transition(section, i)]));
            slots.push((blocks.len() - 1, 1.0, Some(i)));
        }
        if feature_at == Some(i) {
            match ctx.content_structure {
                ContentStructure::HowTo => {
                    let children: Vec<String> = sections[i + 1..]
                        .iter()
                        .take_while(|s| s.level == 3)
                        .map(|s| strip_step_number(&s.heading))
                        .collect();
                    let steps = if children.len() >= 2 {
                        children
                    } else {
                        DEFAULT_STEPS
                            .iter()
                            .map(|s| fill(lang.pick(*s), &[("t", &primary)]))
                            .collect()
                    };
                    blocks.push(Block::P(vec![lang.pick(STEP_LEAD).to_owned()]));
                    blocks.push(Block::Ol(steps));
                }
                ContentStructure::Comparison => {
                    let (a, b) = versus(&title)
                        .or_else(|| keywords.iter().find_map(|k| versus(k)))
                        .or_else(|| match secondary.as_slice() {
                            [a, b, ..] => Some((capitalize_first(a), capitalize_first(b))),
                            _ => None,
                        })
                        .unwrap_or_else(|| {
                            (
                                fill(lang.pick(OPTION), &[("x", "A")]),
                                fill(lang.pick(OPTION), &[("x", "B")]),
                            )
                        });
                    let rating = |salt: &str| {
                        lang.pick(RATINGS[writer.pick(salt, RATINGS.len())])
                            .to_owned()
                    };
                    let rows = vec![
                        vec![
                            lang.pick(CRITERIA[0]).to_owned(),
                            rating("price-a"),
                            rating("price-b"),
                        ],
                        vec![
                            lang.pick(CRITERIA[1]).to_owned(),
                            rating("ease-a"),
                            rating("ease-b"),
                        ],
                        vec![
                            lang.pick(CRITERIA[2]).to_owned(),
                            lang.pick(AUDIENCES[0]).to_owned(),
                            lang.pick(AUDIENCES[1]).to_owned(),
                        ],
                        vec![
                            lang.pick(CRITERIA[3]).to_owned(),
                            rating("overall-a"),
                            rating("overall-b"),
                        ],
                    ];
                    blocks.push(Block::P(vec![lang.pick(TABLE_LEAD).to_owned()]));
                    blocks.push(Block::Table(
                        vec![lang.pick(CRITERION).to_owned(), a, b],
                        rows,
                    ));
                }
                ContentStructure::Review => {
                    blocks.push(Block::P(vec![lang.pick(PROS_LEAD).to_owned()]));
                    blocks.push(Block::Ul(
                        PROS.iter()
                            .map(|p| fill(lang.pick(*p), &[("t", &primary)]))
                            .collect(),
                    ));
                }
                _ => {}
            }
        }
    }

    blocks.push(Block::H2(lang.pick(CONCLUSION).to_owned()));
    let conclusion: Vec<String> = CONCLUSIONS[ti][li].iter().map(|c| fill(c, &vars)).collect();
    blocks.push(Block::P(conclusion));
    slots.push((blocks.len() - 1, 0.5, None));

    // Spread the remaining words over the slots by weight; a running
    // balance carries each slot's rounding into the next, so the total
    // ends within half a sentence of the target.
    let fixed: i32 = blocks
        .iter()
        .map(|b| word_count(&render_all(std::slice::from_ref(b))))
        .sum();
    let remaining = f64::from(target - fixed);
    if remaining > 0.0 {
        let total_weight: f64 = slots.iter().map(|(_, w, _)| w).sum();
        let mut balance = 0.0;
        for &(block, weight, section) in &slots {
            balance += remaining * weight / total_weight;
            let owner = section.map_or(&intro_section, |i| &sections[i]);
            loop {
                let sentence = writer.body_sentence(owner);
                let n = f64::from(words_in(&sentence));
                if balance - n / 2.0 < 0.0 {
                    // Not added: step the rotation back so nothing is skipped.
                    writer.body_cursor -= 1;
                    writer.sentence_no -= 1;
                    break;
                }
                balance -= n;
                if let Block::P(sentences) = &mut blocks[block] {
                    sentences.push(sentence);
                }
            }
        }
    }

    let html = render_all(&blocks);

    let meta_title = {
        let source = if title.is_empty() {
            capitalize_first(&primary)
        } else {
            title.clone()
        };
        truncate_words(&source, META_TITLE_MAX)
    };
    let meta_description = {
        let description = clean(&ctx.description);
        let source = if description.is_empty() {
            fill(
                lang.pick(META_DESCRIPTION),
                &[("T", &capitalize_first(&primary))],
            )
        } else {
            description
        };
        truncate_words(&source, META_DESCRIPTION_MAX)
    };

    ArticleOut {
        html,
        meta_title,
        meta_description,
        primary_keyword: primary,
        secondary_keywords: secondary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::cluster::KeywordIn;
    use crate::ai::ideas::{IdeaContext, IdeaOut, generate_ideas};
    use crate::html::sanitize_html;
    use crate::outline::OutlineSection;
    use crate::planner::KeywordIntent;

    fn idea_context(language: Option<&str>, tone: Option<&str>) -> IdeaContext {
        use KeywordIntent::*;
        let k = |s: &str, v: i64, i| KeywordIn {
            id: s.into(),
            keyword: s.into(),
            volume: Some(v),
            intent: Some(i),
        };
        IdeaContext {
            cluster_name: "Running Shoes".into(),
            cluster_description: String::new(),
            keywords: vec![
                k("best running shoes for beginners", 40500, Commercial),
                k("running shoes for flat feet", 22200, Commercial),
                k("nike pegasus vs hoka clifton", 2900, Commercial),
                k("trail running shoes women", 14800, Commercial),
                k("how often to replace running shoes", 6600, Informational),
                k("running shoes sale near me", 4400, Transactional),
                k("how to choose running shoes", 5400, Informational),
                k("wide toe box running shoes", 8100, Commercial),
                k("running shoes store", 900, Transactional),
                k("nike running app", 700, Navigational),
            ],
            sector: "Fitness".into(),
            site: "Stride Lab".into(),
            tone: tone.map(Into::into),
            language: language.map(Into::into),
        }
    }

    fn article_context(
        idea: &IdeaOut,
        language: Option<&str>,
        tone: Option<&str>,
    ) -> ArticleContext {
        ArticleContext {
            title: idea.title.clone(),
            description: idea.description.clone(),
            outline: idea.outline.clone(),
            target_keywords: idea.target_keywords.clone(),
            content_structure: idea.content_structure,
            estimated_word_count: idea.estimated_word_count,
            sector: "Fitness".into(),
            site: "Stride Lab".into(),
            tone: tone.map(Into::into),
            language: language.map(Into::into),
        }
    }

    /// Headings in document order, as (level, text).
    fn headings(html: &str) -> Vec<(u8, String)> {
        let mut out = Vec::new();
        let mut rest = html;
        while let Some(i) = rest.find("<h") {
            rest = &rest[i + 2..];
            let level = match rest.as_bytes().first() {
                Some(b'2') => 2,
                Some(b'3') => 3,
                _ => continue,
            };
            let Some(end) = rest.find("</h") else { break };
            out.push((level, crate::html::plain_text(&rest[2..end])));
            rest = &rest[end..];
        }
        out
    }

    fn check(ctx: &ArticleContext, out: &ArticleOut) {
        assert_eq!(sanitize_html(&out.html), out.html, "not sanitiser-clean");
        let target = ctx
            .estimated_word_count
            .clamp(MIN_TARGET_WORDS, MAX_TARGET_WORDS);
        let words = word_count(&out.html);
        let off = f64::from(words - target).abs() / f64::from(target);
        assert!(off <= 0.15, "{words} words for {target} ({})", ctx.title);
        assert!(
            out.meta_title.chars().count() <= META_TITLE_MAX,
            "{}",
            out.meta_title
        );
        assert!(!out.meta_title.is_empty());
        assert!(out.meta_description.chars().count() <= META_DESCRIPTION_MAX);
        assert!(!out.meta_description.is_empty());
        assert!(out.secondary_keywords.len() <= MAX_SECONDARY_KEYWORDS);
        if let Some(first) = clean_keywords(&ctx.target_keywords).first() {
            assert_eq!(&out.primary_keyword, first);
            assert!(!out.secondary_keywords.contains(&out.primary_keyword));
        }
        // Every outline section, in order, then the conclusion.
        let got = headings(&out.html);
        let want: Vec<(u8, String)> = ctx
            .outline
            .sections
            .iter()
            .map(|s| (if s.level == 3 { 3 } else { 2 }, s.heading.clone()))
            .collect();
        if !want.is_empty() {
            assert_eq!(&got[..got.len() - 1], want.as_slice());
        }
        let lang = Language::parse(ctx.language.as_deref());
        assert_eq!(got.last().unwrap(), &(2, lang.pick(CONCLUSION).to_owned()));
        assert!(out.html.starts_with("<p>"), "intro first");
        match ctx.content_structure {
            ContentStructure::Listicle | ContentStructure::HowTo => {
                assert!(out.html.contains("<ol><li>"))
            }
            ContentStructure::Comparison => assert!(out.html.contains("<table><thead>")),
            ContentStructure::Guide | ContentStructure::ClusterHub | ContentStructure::Review => {
                assert!(out.html.contains("<ul><li>"))
            }
            ContentStructure::Article => {}
        }
    }

    #[test]
    fn every_generated_idea_becomes_a_bounded_article() {
        for language in [None, Some("es"), Some("fr"), Some("de")] {
            for tone in [None, Some("friendly"), Some("authoritative")] {
                let ideas = generate_ideas(&idea_context(language, tone));
                for idea in &ideas.ideas {
                    let ctx = article_context(idea, language, tone);
                    check(&ctx, &generate_article(&ctx));
                }
            }
        }
    }

    #[test]
    fn word_targets_are_met_across_the_range() {
        let ideas = generate_ideas(&idea_context(None, None));
        for idea in &ideas.ideas {
            for target in [0, 300, 450, 800, 1200, 2000, 3000, 4200, 5000, 9000] {
                let mut ctx = article_context(idea, None, None);
                ctx.estimated_word_count = target;
                check(&ctx, &generate_article(&ctx));
            }
        }
    }

    #[test]
    fn the_structure_shapes_the_html() {
        let ideas = generate_ideas(&idea_context(None, None));
        let versus = ideas
            .ideas
            .iter()
            .find(|i| i.content_structure == ContentStructure::Comparison)
            .unwrap();
        let out = generate_article(&article_context(versus, None, None));
        assert!(
            out.html
                .contains("<th>Nike Pegasus</th><th>Hoka Clifton</th>"),
            "{}",
            out.html
        );
        let mut how_to = article_context(versus, None, None);
        how_to.content_structure = ContentStructure::HowTo;
        how_to.outline = Outline {
            sections: [
                "Before You Start",
                "The Steps",
                "Step 1: Plan",
                "Step 2: Lace Up",
                "Afterwards",
            ]
            .iter()
            .enumerate()
            .map(|(i, h)| OutlineSection {
                heading: (*h).into(),
                level: if i == 2 || i == 3 { 3 } else { 2 },
                notes: String::new(),
                target_keywords: vec![],
            })
            .collect(),
        };
        let out = generate_article(&how_to);
        check(&how_to, &out);
        assert!(
            out.html.contains("<ol><li>Plan</li><li>Lace Up</li></ol>"),
            "{}",
            out.html
        );
    }

    #[test]
    fn tone_and_language_change_the_boilerplate() {
        let ideas = generate_ideas(&idea_context(None, None));
        let idea = &ideas.ideas[0];
        let first_paragraph = |tone: Option<&str>, lang: Option<&str>| {
            let out = generate_article(&article_context(idea, lang, tone));
            out.html.split("</p>").next().unwrap().to_owned()
        };
        let professional = first_paragraph(None, None);
        let friendly = first_paragraph(Some("casual"), None);
        let authoritative = first_paragraph(Some("authoritative"), None);
        assert!(
            professional.contains("research carefully"),
            "{professional}"
        );
        assert!(friendly.contains("You're in good company"), "{friendly}");
        assert!(
            authoritative.contains("established principles"),
            "{authoritative}"
        );
        assert_eq!(first_paragraph(Some("zany"), Some("xx")), professional);

        let es = generate_article(&article_context(idea, Some("es"), None));
        assert!(es.html.contains("<h2>Conclusión</h2>"));
        assert!(
            es.html
                .contains("es un tema que muchos lectores de fitness")
        );
        // Keywords are never translated.
        assert!(es.html.contains("best running shoes for beginners"));
        let de = generate_article(&article_context(idea, Some("de-DE"), None));
        assert!(de.html.contains("<h2>Fazit</h2>"));
        let fr = generate_article(&article_context(idea, Some("fr"), Some("friendly")));
        assert!(fr.html.contains("Vous vous intéressez à"));
    }

    #[test]
    fn sparse_input_still_gives_an_article() {
        let ctx = ArticleContext {
            title: "The Complete Guide to Sourdough Starters for Busy Home Bakers Who Want Results"
                .into(),
            description: String::new(),
            outline: Outline::default(),
            target_keywords: vec!["  ".into()],
            content_structure: ContentStructure::Article,
            estimated_word_count: 600,
            sector: String::new(),
            site: String::new(),
            tone: None,
            language: None,
        };
        let out = generate_article(&ctx);
        check(&ctx, &out);
        assert_eq!(out.primary_keyword, "sourdough starters");
        assert!(out.secondary_keywords.is_empty());
        assert_eq!(
            out.meta_title,
            "The Complete Guide to Sourdough Starters for Busy Home"
        );
        assert!(out.meta_description.starts_with("Sourdough starters:"));
        assert!(out.html.contains("<h2>Overview</h2>"));

        let empty = ArticleContext {
            title: String::new(),
            ..ctx
        };
        let out = generate_article(&empty);
        assert_eq!(sanitize_html(&out.html), out.html);
        assert!(!out.meta_title.is_empty());
    }

    #[test]
    fn html_special_characters_are_escaped() {
        let ideas = generate_ideas(&idea_context(None, None));
        let mut ctx = article_context(&ideas.ideas[0], None, None);
        ctx.title = "R&D <script>alert(1)</script> vs Q&A".into();
        ctx.outline.sections[0].heading = "Tips & <b>tricks</b>".into();
        ctx.target_keywords
            .insert(0, "shoes <img src=x onerror=alert(1)>".into());
        let out = generate_article(&ctx);
        check(&ctx, &out);
        assert!(
            !out.html.contains("<script")
                && !out.html.contains("<img")
                && !out.html.contains("<b>")
        );
        assert!(
            out.html
                .contains("<h2>Tips &amp; &lt;b&gt;tricks&lt;/b&gt;</h2>")
        );
    }

    #[test]
    fn articles_are_deterministic_and_secondary_keywords_capped() {
        let ideas = generate_ideas(&idea_context(None, None));
        let mut ctx = article_context(&ideas.ideas[0], None, None);
        ctx.target_keywords = (0..20).map(|i| format!("keyword {i}")).collect();
        let a = generate_article(&ctx);
        assert_eq!(generate_article(&ctx), a);
        assert_eq!(a.primary_keyword, "keyword 0");
        assert_eq!(a.secondary_keywords.len(), 10);
        assert_eq!(a.secondary_keywords[0], "keyword 1");
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<ArticleOut>(&json).unwrap(), a);
    }
}
