//! The fixed wording of ideas in English, Spanish, French and German:
//! titles, headings, writer notes and descriptions.

/// Localised text: `[en, es, fr, de]`, with `{t}` (topic), `{k}`
/// (keyword), `{n}`, `{x}`, `{a}`, `{b}`, `{s}` (site) placeholders.
pub(super) type L = [&'static str; 4];

// Titles.
pub(super) const T_GUIDE: L = [
    "{t}: The Complete Guide",
    "{t}: la guía completa",
    "{t} : le guide complet",
    "{t}: Der komplette Leitfaden",
];
pub(super) const T_HOWTO: L = [
    "How to Get Started with {t}",
    "Cómo empezar con {t}",
    "Comment bien débuter avec {t}",
    "So gelingt der Einstieg in {t}",
];
pub(super) const T_HOWTO_KW: L = [
    "{k}: Step by Step",
    "{k}: paso a paso",
    "{k} : étape par étape",
    "{k}: Schritt für Schritt",
];
pub(super) const T_MISTAKES: L = [
    "{n} Common {t} Mistakes (and How to Avoid Them)",
    "{n} errores comunes con {t} (y cómo evitarlos)",
    "{n} erreurs courantes avec {t} (et comment les éviter)",
    "{n} häufige Fehler bei {t} (und wie man sie vermeidet)",
];
pub(super) const T_FAQ: L = [
    "{t}: Your Questions Answered",
    "{t}: respuestas a tus preguntas",
    "{t} : réponses à vos questions",
    "{t}: Antworten auf Ihre Fragen",
];
pub(super) const T_BEST: L = [
    "The Best {t} Options: Top Picks Compared",
    "Las mejores opciones de {t}: comparativa",
    "Les meilleures options de {t} : notre sélection",
    "Die besten {t}-Optionen im Vergleich",
];
pub(super) const T_VERSUS: L = [
    "{a} vs {b}: Which Is Better?",
    "{a} vs {b}: ¿cuál es mejor?",
    "{a} ou {b} : lequel choisir ?",
    "{a} vs. {b}: Was ist besser?",
];
pub(super) const T_COMPARE: L = [
    "Comparing {t} Options: Which Is Right for You?",
    "Comparativa de {t}: ¿cuál te conviene?",
    "Comparatif {t} : quelle option vous convient ?",
    "{t} im Vergleich: Was passt zu Ihnen?",
];
pub(super) const T_REVIEW: L = [
    "{t} Reviews: What to Know Before You Choose",
    "Opiniones sobre {t}: lo que debes saber antes de elegir",
    "Avis sur {t} : ce qu'il faut savoir avant de choisir",
    "{t} im Test: Das sollten Sie vor der Wahl wissen",
];
pub(super) const T_BUYING: L = [
    "{t} Buying Guide: How to Choose Well",
    "Guía de compra de {t}: cómo elegir bien",
    "Guide d'achat {t} : bien choisir",
    "{t} Kaufberatung: So wählen Sie richtig",
];
pub(super) const T_OFFER_PRODUCT: L = [
    "{t}: Options, Pricing and How to Order",
    "{t}: opciones, precios y cómo pedir",
    "{t} : options, tarifs et commande",
    "{t}: Optionen, Preise und Bestellung",
];
pub(super) const T_OFFER_SERVICE: L = [
    "{t}: Services, Pricing and How to Book",
    "{t}: servicios, precios y cómo reservar",
    "{t} : services, tarifs et réservation",
    "{t}: Leistungen, Preise und Buchung",
];
pub(super) const T_PRICING: L = [
    "How Much Does {t} Cost? Pricing Explained",
    "¿Cuánto cuesta {t}? Precios explicados",
    "Combien coûte {t} ? Les prix expliqués",
    "Was kostet {t}? Preise erklärt",
];
pub(super) const T_CHECKLIST: L = [
    "{t} Checklist: What to Check Before You Buy",
    "Lista de control de {t}: qué revisar antes de comprar",
    "Checklist {t} : ce qu'il faut vérifier avant d'acheter",
    "{t}-Checkliste: Das sollten Sie vor dem Kauf prüfen",
];
pub(super) const T_HUB: L = [
    "{t}: Everything You Need in One Place",
    "{t}: todo lo que necesitas en un solo lugar",
    "{t} : tout ce qu'il faut savoir, au même endroit",
    "{t}: Alles Wichtige an einem Ort",
];
pub(super) const T_RESOURCES: L = [
    "{t} Resources: Tools, Guides and Answers",
    "Recursos de {t}: herramientas, guías y respuestas",
    "Ressources {t} : outils, guides et réponses",
    "{t}-Ressourcen: Tools, Leitfäden und Antworten",
];

// Section headings.
pub(super) const H_UNDERSTANDING: L = [
    "Understanding {t}",
    "Qué es {t}",
    "Comprendre {t}",
    "{t} verstehen",
];
pub(super) const H_WHY: L = [
    "What {t} Can Do for You",
    "Ventajas de {t}",
    "Les atouts de {t}",
    "Die Vorteile von {t}",
];
pub(super) const H_BENEFITS: L = [
    "Key Benefits",
    "Beneficios clave",
    "Principaux avantages",
    "Die wichtigsten Vorteile",
];
pub(super) const H_MYTHS: L = [
    "Common Misconceptions",
    "Ideas erróneas comunes",
    "Idées reçues",
    "Häufige Irrtümer",
];
pub(super) const H_GET_STARTED: L = [
    "How to Get Started",
    "Cómo empezar",
    "Comment commencer",
    "So fangen Sie an",
];
pub(super) const H_TOPICS: L = [
    "Key Topics Within {t}",
    "Temas clave de {t}",
    "Les sujets clés de {t}",
    "Die wichtigsten Themen rund um {t}",
];
pub(super) const H_TIPS: L = [
    "Tips and Best Practices",
    "Consejos y buenas prácticas",
    "Conseils et bonnes pratiques",
    "Tipps und bewährte Methoden",
];
pub(super) const H_FAQ: L = [
    "Frequently Asked Questions",
    "Preguntas frecuentes",
    "Questions fréquentes",
    "Häufig gestellte Fragen",
];
pub(super) const H_NEXT: L = [
    "Next Steps",
    "Próximos pasos",
    "Prochaines étapes",
    "Nächste Schritte",
];
pub(super) const H_NEED: L = [
    "What You Need Before You Start",
    "Lo que necesitas antes de empezar",
    "Ce qu'il vous faut avant de commencer",
    "Was Sie vor dem Start brauchen",
];
pub(super) const H_STEPS: L = [
    "Step-by-Step Instructions",
    "Instrucciones paso a paso",
    "Instructions étape par étape",
    "Schritt-für-Schritt-Anleitung",
];
pub(super) const H_STEP: L = [
    "Step {n}: {x}",
    "Paso {n}: {x}",
    "Étape {n} : {x}",
    "Schritt {n}: {x}",
];
pub(super) const STEP_NAMES: [L; 4] = [
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
pub(super) const H_AVOID: L = [
    "Common Mistakes to Avoid",
    "Errores comunes que evitar",
    "Erreurs courantes à éviter",
    "Häufige Fehler vermeiden",
];
pub(super) const H_TROUBLE: L = [
    "Troubleshooting",
    "Solución de problemas",
    "Dépannage",
    "Fehlerbehebung",
];
pub(super) const H_MISTAKE: L = [
    "Mistake {n}: {x}",
    "Error {n}: {x}",
    "Erreur n° {n} : {x}",
    "Fehler {n}: {x}",
];
pub(super) const MISTAKES: [L; 7] = [
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
pub(super) const H_QUICK: L = [
    "Quick Answers",
    "Respuestas rápidas",
    "Réponses rapides",
    "Schnelle Antworten",
];
pub(super) const H_HOW_WE_CHOSE: L = [
    "How We Chose",
    "Cómo elegimos",
    "Notre méthode de sélection",
    "So haben wir ausgewählt",
];
pub(super) const H_HOW_TO_CHOOSE: L = [
    "How to Choose the Right {t}",
    "Cómo elegir {t}",
    "Comment choisir {t}",
    "So wählen Sie {t} richtig aus",
];
pub(super) const H_AT_A_GLANCE: L = [
    "At a Glance",
    "De un vistazo",
    "En un coup d'œil",
    "Auf einen Blick",
];
pub(super) const H_STRENGTHS: L = [
    "{x}: Strengths and Weaknesses",
    "{x}: puntos fuertes y débiles",
    "{x} : forces et faiblesses",
    "{x}: Stärken und Schwächen",
];
pub(super) const H_HEAD_TO_HEAD: L = [
    "Head-to-Head Comparison",
    "Comparación directa",
    "Comparaison directe",
    "Direkter Vergleich",
];
pub(super) const H_PRICE_VALUE: L = [
    "Price and Value",
    "Precio y valor",
    "Prix et rapport qualité-prix",
    "Preis und Leistung",
];
pub(super) const H_EASE: L = [
    "Ease of Use",
    "Facilidad de uso",
    "Facilité d'utilisation",
    "Bedienkomfort",
];
pub(super) const H_WHICH: L = [
    "Which Should You Choose?",
    "¿Cuál deberías elegir?",
    "Lequel choisir ?",
    "Was sollten Sie wählen?",
];
pub(super) const H_OVERVIEW: L = ["Overview", "Resumen", "Vue d'ensemble", "Überblick"];
pub(super) const H_LIKE: L = [
    "What We Like",
    "Lo que nos gusta",
    "Ce que nous aimons",
    "Was uns gefällt",
];
pub(super) const H_BETTER: L = [
    "What Could Be Better",
    "Lo que podría mejorar",
    "Ce qui pourrait être mieux",
    "Was besser sein könnte",
];
pub(super) const H_WHO_FOR: L = [
    "Who It Is For",
    "Para quién es",
    "Pour qui ?",
    "Für wen es sich eignet",
];
pub(super) const H_ALTERNATIVES: L = [
    "Alternatives Worth Considering",
    "Alternativas a considerar",
    "Alternatives à envisager",
    "Alternativen, die sich lohnen",
];
pub(super) const H_VERDICT: L = [
    "Our Verdict",
    "Nuestro veredicto",
    "Notre verdict",
    "Unser Urteil",
];
pub(super) const H_FEATURES: L = [
    "Features and Benefits",
    "Características y ventajas",
    "Caractéristiques et avantages",
    "Funktionen und Vorteile",
];
pub(super) const H_PRICING: L = [
    "Pricing and Options",
    "Precios y opciones",
    "Tarifs et options",
    "Preise und Optionen",
];
pub(super) const H_HOW_IT_WORKS: L = [
    "How It Works",
    "Cómo funciona",
    "Comment ça marche",
    "So funktioniert es",
];
pub(super) const H_WHY_US: L = [
    "Why Choose {s}",
    "Por qué elegir {s}",
    "Pourquoi choisir {s}",
    "Warum {s}",
];
pub(super) const H_START_TODAY: L = [
    "Get Started Today",
    "Empieza hoy",
    "Lancez-vous dès aujourd'hui",
    "Starten Sie noch heute",
];
pub(super) const H_PRICE_FACTORS: L = [
    "What Affects the Price",
    "Qué influye en el precio",
    "Ce qui influence le prix",
    "Was den Preis beeinflusst",
];
pub(super) const H_TYPICAL_COSTS: L = [
    "Typical Costs",
    "Costes habituales",
    "Coûts habituels",
    "Typische Kosten",
];
pub(super) const H_SAVE: L = [
    "How to Save Money",
    "Cómo ahorrar dinero",
    "Comment économiser",
    "So sparen Sie Geld",
];
pub(super) const H_BEFORE_BUY: L = [
    "Before You Buy",
    "Antes de comprar",
    "Avant d'acheter",
    "Vor dem Kauf",
];
pub(super) const H_WHAT_COMPARE: L = [
    "What to Compare",
    "Qué comparar",
    "Quoi comparer",
    "Was Sie vergleichen sollten",
];
pub(super) const H_RED_FLAGS: L = [
    "Red Flags",
    "Señales de alerta",
    "Signaux d'alerte",
    "Warnsignale",
];
pub(super) const H_AFTER_BUY: L = [
    "After You Buy",
    "Después de comprar",
    "Après l'achat",
    "Nach dem Kauf",
];
pub(super) const H_START_HERE: L = [
    "Start Here: {t} Basics",
    "Empieza aquí: lo básico de {t}",
    "Commencer ici : les bases de {t}",
    "Hier starten: {t}-Grundlagen",
];
pub(super) const H_GUIDES: L = [
    "Guides and How-Tos",
    "Guías y tutoriales",
    "Guides et tutoriels",
    "Leitfäden und Anleitungen",
];
pub(super) const H_COMPARISONS: L = [
    "Comparisons and Reviews",
    "Comparativas y reseñas",
    "Comparatifs et avis",
    "Vergleiche und Tests",
];
pub(super) const H_BUYING: L = [
    "Buying and Pricing",
    "Compra y precios",
    "Achat et prix",
    "Kauf und Preise",
];
pub(super) const H_TOOLS: L = [
    "Tools and Resources",
    "Herramientas y recursos",
    "Outils et ressources",
    "Tools und Ressourcen",
];

// Notes for the writer.
pub(super) const NOTES: [L; 3] = [
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
pub(super) const NOTE_KEYWORDS: L = [
    " Use naturally: {k}.",
    " Usa con naturalidad: {k}.",
    " À utiliser naturellement : {k}.",
    " Natürlich verwenden: {k}.",
];

// Descriptions.
pub(super) const KIND_GUIDE: L = [
    "an in-depth guide",
    "una guía detallada",
    "un guide approfondi",
    "ein ausführlicher Leitfaden",
];
pub(super) const KIND_HOWTO: L = [
    "a step-by-step how-to",
    "un tutorial paso a paso",
    "un tutoriel pas à pas",
    "eine Schritt-für-Schritt-Anleitung",
];
pub(super) const KIND_LISTICLE: L = [
    "a scannable list article",
    "un artículo en formato de lista",
    "un article sous forme de liste",
    "ein übersichtlicher Listenartikel",
];
pub(super) const KIND_COMPARISON: L = [
    "a side-by-side comparison",
    "una comparación lado a lado",
    "une comparaison point par point",
    "ein direkter Vergleich",
];
pub(super) const KIND_REVIEW: L = [
    "an honest review",
    "una reseña honesta",
    "un avis honnête",
    "ein ehrlicher Testbericht",
];
pub(super) const KIND_ARTICLE: L = [
    "a focused landing page",
    "una página enfocada",
    "une page ciblée",
    "eine fokussierte Landingpage",
];
pub(super) const KIND_HUB: L = [
    "a hub page linking every piece on the topic",
    "una página central que enlaza todo el contenido del tema",
    "une page pilier qui relie tous les contenus du sujet",
    "eine Übersichtsseite, die alle Inhalte zum Thema verbindet",
];
pub(super) const DESC_PROFESSIONAL: L = [
    "{x} on {t} for {s}, built around “{k}”.",
    "{x} sobre {t} para {s}, centrado en «{k}».",
    "{x} sur {t} pour {s}, construit autour de « {k} ».",
    "{x} zu {t} für {s}, rund um „{k}“.",
];
pub(super) const DESC_FRIENDLY: L = [
    "{x} on {t} that walks {s} through “{k}” in plain, friendly language.",
    "{x} sobre {t} que explica «{k}» a {s} con un lenguaje cercano.",
    "{x} sur {t} qui explique « {k} » à {s} avec des mots simples.",
    "{x} zu {t}, der {s} „{k}“ locker und verständlich erklärt.",
];
pub(super) const DESC_AUTHORITATIVE: L = [
    "{x} on {t} that gives {s} the definitive answer to “{k}”.",
    "{x} sobre {t} que da a {s} la respuesta definitiva sobre «{k}».",
    "{x} sur {t} qui apporte à {s} la réponse de référence sur « {k} ».",
    "{x} zu {t}, der {s} die maßgebliche Antwort auf „{k}“ gibt.",
];
pub(super) const AUDIENCE_SECTOR: L = [
    "{x} readers",
    "lectores de {x}",
    "les lecteurs du secteur {x}",
    "Leser aus dem Bereich {x}",
];
pub(super) const AUDIENCE_ANY: L = ["readers", "lectores", "les lecteurs", "Leser"];
