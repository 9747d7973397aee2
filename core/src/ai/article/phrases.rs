//! The fixed wording of articles in English, Spanish, French and German,
//! per tone where the tone shows: intros, transitions, body sentence
//! templates, list and table leads, conclusions.

pub(super) type L = [&'static str; 4];

/// The conclusion heading (image prompts skip it, so keep it recognisable).
pub const CONCLUSION: L = ["Conclusion", "Conclusión", "Conclusion", "Fazit"];

/// Intro sentences per tone, then the site sentence.
pub(super) const INTRO: [[[&str; 3]; 4]; 3] = [
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
pub(super) const AUDIENCE: [L; 2] = [
    [
        "{x} readers",
        "lectores de {x}",
        "lecteurs du secteur {x}",
        "Leser aus dem Bereich {x}",
    ],
    ["readers", "lectores", "lecteurs", "Leser"],
];

/// The first sentence of an h2 section, per tone.
pub(super) const TRANSITIONS: [[[&str; 3]; 4]; 3] = [
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
pub(super) const CONNECTORS: [[[&str; 3]; 4]; 3] = [
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

pub(super) const CONCLUSIONS: [[[&str; 2]; 4]; 3] = [
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

pub(super) const BODY_EN: &[&str] = &[
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

pub(super) const BODY_ES: &[&str] = &[
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

pub(super) const BODY_FR: &[&str] = &[
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

pub(super) const BODY_DE: &[&str] = &[
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

pub(super) const LIST_LEAD: L = [
    "Here is what this list covers:",
    "Esto es lo que cubre esta lista:",
    "Voici ce que couvre cette liste :",
    "Das erwartet Sie in dieser Liste:",
];
pub(super) const GUIDE_LEAD: L = [
    "This guide covers:",
    "Esta guía trata:",
    "Ce guide aborde :",
    "Dieser Leitfaden behandelt:",
];
pub(super) const STEP_LEAD: L = [
    "Follow these steps in order:",
    "Sigue estos pasos en orden:",
    "Suivez ces étapes dans l'ordre :",
    "Gehen Sie Schritt für Schritt vor:",
];
pub(super) const DEFAULT_STEPS: [L; 4] = [
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
pub(super) const PROS_LEAD: L = [
    "What stands out:",
    "Lo más destacado:",
    "Les points forts :",
    "Das überzeugt:",
];
pub(super) const PROS: [L; 3] = [
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
pub(super) const TABLE_LEAD: L = [
    "The table below summarises the key differences.",
    "La tabla siguiente resume las diferencias clave.",
    "Le tableau ci-dessous résume les principales différences.",
    "Die Tabelle unten fasst die wichtigsten Unterschiede zusammen.",
];
pub(super) const CRITERION: L = ["Criterion", "Criterio", "Critère", "Kriterium"];
pub(super) const CRITERIA: [L; 4] = [
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
pub(super) const RATINGS: [L; 3] = [
    ["Excellent", "Excelente", "Excellent", "Ausgezeichnet"],
    ["Very good", "Muy bueno", "Très bon", "Sehr gut"],
    ["Good", "Bueno", "Bon", "Gut"],
];
pub(super) const AUDIENCES: [L; 2] = [
    ["Beginners", "Principiantes", "Débutants", "Einsteiger"],
    [
        "Experienced users",
        "Usuarios con experiencia",
        "Utilisateurs expérimentés",
        "Erfahrene Nutzer",
    ],
];
pub(super) const OPTION: L = ["Option {x}", "Opción {x}", "Option {x}", "Option {x}"];
pub(super) const DEFAULT_SECTIONS: [L; 3] = [
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
pub(super) const META_DESCRIPTION: L = [
    "{T}: what matters, what to watch for and how to decide. A practical overview.",
    "{T}: lo que importa, qué vigilar y cómo decidir. Una guía práctica.",
    "{T} : ce qui compte, les points de vigilance et comment décider. Un aperçu pratique.",
    "{T}: worauf es ankommt, worauf Sie achten sollten und wie Sie entscheiden. Ein praktischer Überblick.",
];
