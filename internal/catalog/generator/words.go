package generator

// The word lists the generator draws from. Names carry their accents, as a
// real catalogue's do, so slugs, sorting and search meet them at scale.

// nameGroup is a naming tradition: first and last names that go together.
type nameGroup struct {
	first, last []string
}

var (
	namesEnglish = nameGroup{
		first: []string{"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
			"William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Daniel",
			"Nancy", "Matthew", "Lisa", "Anthony", "Margaret", "Mark", "Sandra", "Steven", "Ashley", "Paul", "Emily", "Andrew",
			"Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah",
			"Timothy", "Rebecca", "Ronald", "Laura", "Edward", "Helen", "Siobhan", "Niamh", "Declan", "Aoife", "Rhys", "Gwen",
			"Callum", "Isla", "Zoë", "Chloë", "Renée", "Noël"},
		last: []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
			"Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
			"Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell",
			"Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart",
			"Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Kelly", "Howard",
			"O'Brien", "O'Connor", "McAllister", "Fitzgerald", "Gallagher", "Llewellyn", "Whitfield", "Ashworth"},
	}
	namesFrench = nameGroup{
		first: []string{"Jean", "Marie", "Pierre", "Élise", "François", "Hélène", "Cédric", "Mélanie", "Stéphane", "Amélie",
			"Jérôme", "Céline", "Benoît", "Léa", "Aurélien", "Chloé", "Théo", "Inès", "Loïc", "Maëlle", "Gaël", "Noémie",
			"Régis", "Séverine", "Frédéric", "Émilie", "Thérèse", "Rémi", "Solène", "Étienne", "Agnès", "Joël", "Bérénice",
			"Anaïs", "Clément", "Margaux", "Hugo", "Camille", "Lucien", "Océane"},
		last: []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
			"Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
			"Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Légaré",
			"Chevalier", "Gauthier", "Perrin", "Rousseau", "Blanchard", "Guérin", "Boucher", "Lemaître", "Béranger",
			"Deschamps", "Caron", "Clément", "Noël", "Besnard", "Ferré", "Delacroix"},
	}
	namesSpanish = nameGroup{
		first: []string{"José", "María", "Jesús", "Lucía", "Ángel", "Sofía", "Andrés", "Inés", "Raúl", "Begoña", "Íñigo",
			"Ainhoa", "Álvaro", "Mónica", "Sebastián", "Verónica", "Joaquín", "Núria", "Martín", "Ramón", "Rocío", "Ximena",
			"Tomás", "Pilar", "Héctor", "Celia", "Julián", "Montserrat", "Óscar", "Beatriz"},
		last: []string{"García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
			"Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez",
			"Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano", "Blanco", "Suárez", "Castañeda",
			"Ibáñez", "Peña", "Ordóñez", "Echeverría"},
	}
	namesItalian = nameGroup{
		first: []string{"Giuseppe", "Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Sara", "Matteo", "Elena",
			"Niccolò", "Beatrice", "Lorenzo", "Valentina", "Andrea", "Federica", "Davide", "Alessia", "Gianluca", "Ilaria",
			"Raffaele", "Caterina", "Salvatore", "Lucrezia"},
		last: []string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
			"Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri",
			"Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo", "Nicolò"},
	}
	namesGerman = nameGroup{
		first: []string{"Jürgen", "Ursula", "Klaus", "Birgit", "Jörg", "Käthe", "Lukas", "Anna", "Maximilian", "Lena", "Felix",
			"Sophie", "Stefan", "Sabine", "Matthias", "Katrin", "Tobias", "Julia", "Günther", "Hannelore", "Björn", "Jörn",
			"Uwe", "Maren"},
		last: []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
			"Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun",
			"Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Köhler", "Vogt", "Groß", "Weiß"},
	}
	namesNordic = nameGroup{
		first: []string{"Åsa", "Björn", "Sigrid", "Søren", "Ingrid", "Mads", "Astrid", "Lars", "Liv", "Nils", "Freja", "Oskar",
			"Ylva", "Anders", "Hanne", "Tove", "Jørgen", "Eskil", "Märta", "Halldóra", "Þórir", "Aino", "Väinö", "Sölvi"},
		last: []string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsen", "Jensen", "Nielsen", "Hansen",
			"Pedersen", "Lindqvist", "Bergström", "Sjöberg", "Åkesson", "Lindgren", "Halvorsen", "Sørensen", "Østergaard",
			"Jónsdóttir", "Sigurðsson", "Virtanen", "Mäkinen", "Häkkinen", "Lindström"},
	}
	namesPolish = nameGroup{
		first: []string{"Łukasz", "Agnieszka", "Paweł", "Małgorzata", "Michał", "Katarzyna", "Tomasz", "Zuzanna", "Krzysztof",
			"Joanna", "Jiří", "Tereza", "Tomáš", "Kateřina", "Ondřej", "Zdeňka", "Przemysław", "Bożena", "Grzegorz", "Anežka"},
		last: []string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
			"Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Novák", "Svoboda", "Dvořák", "Černý", "Procházka", "Kučera",
			"Veselý", "Horák", "Němec", "Pokorný"},
	}
	namesPortuguese = nameGroup{
		first: []string{"João", "Maria", "António", "Conceição", "Sebastião", "Lúcia", "Gonçalo", "Inês", "Tiago", "Beatriz",
			"Luís", "Mariana", "Fábio", "Letícia", "Rogério", "Patrícia", "Vinícius", "Débora", "Caetano", "Flávia"},
		last: []string{"Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Jesus", "Sousa",
			"Fernandes", "Gonçalves", "Gomes", "Lopes", "Marques", "Alves", "Almeida", "Ribeiro", "Pinto", "Carvalho",
			"Araújo", "Magalhães", "Conceição", "Brandão"},
	}
	namesTurkish = nameGroup{
		first: []string{"Ayşe", "Mehmet", "Fatma", "Mustafa", "Emine", "Ahmet", "Hatice", "Ali", "Zeynep", "Hüseyin", "Elif",
			"Hasan", "Şule", "İbrahim", "Gülşen", "Çağan", "Özge", "Barış"},
		last: []string{"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir",
			"Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan", "Şimşek"},
	}
	namesJapanese = nameGroup{
		first: []string{"Haruki", "Yōko", "Kenji", "Yuki", "Takeshi", "Akiko", "Hiroshi", "Sachiko", "Ryōta", "Emi", "Shōta",
			"Keiko", "Daisuke", "Naomi", "Kōji", "Mariko", "Jun", "Ayumi", "Satoshi", "Kyōko"},
		last: []string{"Satō", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Itō", "Yamamoto", "Nakamura", "Kobayashi", "Katō",
			"Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue", "Kimura", "Hayashi", "Shimizu", "Ōno"},
	}
	namesKorean = nameGroup{
		first: []string{"Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Su-bin", "Jae-won", "Ye-jin", "Hyun-woo",
			"Ji-woo", "Sung-min", "Eun-ji", "Dong-hyun", "Yu-na"},
		last: []string{"Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin",
			"Kwon", "Hwang"},
	}
)

// origin is where a film comes from: its country, language, the names of
// its people and characters, its currency, its cities and (unless the
// language is English) the words of its title.
type origin struct {
	country  string
	language string
	tag      string // BCP 47 tag of the title's language; "" for English
	names    nameGroup
	currency string
	cities   []string
	title    *foreignTitles
	weight   float64
}

// foreignTitles builds titles in one language from heads ("La Nuit") and
// complements ("de Paris") that need no agreement with each other.
type foreignTitles struct {
	heads, complements []string
}

var origins = []origin{
	{"United States", "English", "", namesEnglish, "USD", []string{"Los Angeles", "New York", "Chicago", "New Orleans", "Atlanta", "Albuquerque", "Boston", "San Francisco", "Savannah", "Pittsburgh"}, nil, 42},
	{"United Kingdom", "English", "", namesEnglish, "GBP", []string{"London", "Glasgow", "Manchester", "Belfast", "Cardiff", "Edinburgh", "Liverpool", "Bristol"}, nil, 9},
	{"Ireland", "English", "", namesEnglish, "EUR", []string{"Dublin", "Galway", "Cork", "Dingle"}, nil, 1.5},
	{"Canada", "English", "", namesEnglish, "CAD", []string{"Toronto", "Vancouver", "Montréal", "Halifax", "Québec City"}, nil, 3},
	{"Australia", "English", "", namesEnglish, "AUD", []string{"Sydney", "Melbourne", "Adelaide", "Perth", "Broken Hill"}, nil, 2},
	{"France", "French", "fr", namesFrench, "EUR", []string{"Paris", "Marseille", "Lyon", "Nantes", "Bordeaux", "Lille", "Strasbourg", "Nice", "Le Havre", "Brest"}, &titlesFrench, 10},
	{"Belgium", "French", "fr", namesFrench, "EUR", []string{"Brussels", "Liège", "Namur", "Charleroi"}, &titlesFrench, 1},
	{"Spain", "Spanish", "es", namesSpanish, "EUR", []string{"Madrid", "Barcelona", "Sevilla", "Valencia", "Bilbao", "Cádiz", "Málaga"}, &titlesSpanish, 4},
	{"Mexico", "Spanish", "es", namesSpanish, "MXN", []string{"Mexico City", "Guadalajara", "Oaxaca", "Monterrey", "Mérida"}, &titlesSpanish, 2.5},
	{"Argentina", "Spanish", "es", namesSpanish, "ARS", []string{"Buenos Aires", "Córdoba", "Rosario", "Mendoza"}, &titlesSpanish, 1.5},
	{"Italy", "Italian", "it", namesItalian, "EUR", []string{"Rome", "Milan", "Naples", "Turin", "Palermo", "Bologna", "Venice", "Genoa"}, &titlesItalian, 5},
	{"Germany", "German", "de", namesGerman, "EUR", []string{"Berlin", "Hamburg", "Munich", "Cologne", "Leipzig", "Düsseldorf", "Dresden"}, &titlesGerman, 5},
	{"Austria", "German", "de", namesGerman, "EUR", []string{"Vienna", "Graz", "Salzburg", "Linz"}, &titlesGerman, 1},
	{"Sweden", "Swedish", "sv", namesNordic, "SEK", []string{"Stockholm", "Gothenburg", "Malmö", "Kiruna", "Uppsala"}, &titlesSwedish, 2},
	{"Denmark", "Danish", "da", namesNordic, "DKK", []string{"Copenhagen", "Aarhus", "Odense", "Skagen"}, &titlesDanish, 1.5},
	{"Poland", "Polish", "pl", namesPolish, "PLN", []string{"Warsaw", "Kraków", "Łódź", "Gdańsk", "Wrocław"}, &titlesPolish, 1.5},
	{"Czech Republic", "Czech", "cs", namesPolish, "CZK", []string{"Prague", "Brno", "Ostrava", "Český Krumlov"}, &titlesCzech, 1},
	{"Portugal", "Portuguese", "pt", namesPortuguese, "EUR", []string{"Lisbon", "Porto", "Coimbra", "Faro"}, &titlesPortuguese, 1},
	{"Brazil", "Portuguese", "pt", namesPortuguese, "BRL", []string{"Rio de Janeiro", "São Paulo", "Salvador", "Recife", "Belém"}, &titlesPortuguese, 2.5},
	{"Turkey", "Turkish", "tr", namesTurkish, "TRY", []string{"Istanbul", "Ankara", "İzmir", "Antalya", "Trabzon"}, &titlesTurkish, 1.5},
	{"Japan", "Japanese", "ja-Latn", namesJapanese, "JPY", []string{"Tokyo", "Osaka", "Kyoto", "Sapporo", "Fukuoka", "Onomichi"}, &titlesJapanese, 4},
	{"South Korea", "Korean", "ko-Latn", namesKorean, "KRW", []string{"Seoul", "Busan", "Incheon", "Daegu", "Jeonju"}, &titlesKorean, 3},
}

var (
	titlesFrench = foreignTitles{
		heads: []string{"La Nuit", "Le Silence", "L'Été", "Les Enfants", "La Mer", "Le Départ", "La Fenêtre", "Les Étoiles",
			"Le Retour", "La Rivière", "L'Hiver", "Le Mariage", "La Promesse", "Les Amants", "Le Voyage", "La Chambre",
			"Les Égarés", "Le Fils", "La Fille", "Le Bal", "La Vérité", "Les Héritiers", "L'Épreuve", "Le Cœur", "La Fête"},
		complements: []string{"de Paris", "du Nord", "d'Automne", "à Marseille", "sans fin", "des Anges", "du Dimanche",
			"au bord de l'eau", "de minuit", "d'Élise", "du Phare", "de la Saint-Jean", "en hiver", "des Lilas", "à l'aube"},
	}
	titlesSpanish = foreignTitles{
		heads: []string{"La Noche", "El Silencio", "El Verano", "Los Niños", "La Casa", "El Regreso", "La Frontera", "El Río",
			"Las Hermanas", "El Viaje", "La Herida", "El Secreto", "La Canción", "Los Olvidados", "El Patio", "La Espera",
			"El Jardín", "La Huida", "Los Años", "El Último Tren"},
		complements: []string{"de Madrid", "sin Fin", "del Sur", "en la Ciudad", "de Octubre", "de los Pájaros", "junto al Mar",
			"del Olvido", "de Ana", "bajo la Lluvia", "en Invierno", "de la Montaña", "al Amanecer"},
	}
	titlesItalian = foreignTitles{
		heads: []string{"La Notte", "Il Silenzio", "L'Estate", "I Bambini", "La Casa", "Il Ritorno", "Il Viaggio", "La Strada",
			"Le Sorelle", "Il Segreto", "La Promessa", "Il Giardino", "La Dolce Attesa", "Il Mare", "Gli Ultimi", "La Stanza",
			"Il Figlio", "La Festa"},
		complements: []string{"di Roma", "d'Estate", "senza Fine", "del Nord", "a Napoli", "di Settembre", "sul Lago",
			"della Luna", "di Giulia", "sotto la Pioggia", "in Inverno", "all'Alba", "più Lunga"},
	}
	titlesGerman = foreignTitles{
		heads: []string{"Die Nacht", "Das Schweigen", "Der Sommer", "Die Kinder", "Das Haus", "Die Rückkehr", "Die Reise",
			"Der Fluss", "Die Schwestern", "Das Geheimnis", "Der Himmel", "Die Grenze", "Das Fest", "Der Garten", "Die Stille",
			"Das Erbe", "Die Fährte", "Der Weg"},
		complements: []string{"über Berlin", "im Winter", "ohne Ende", "am See", "im Norden", "der Väter", "nach Hause",
			"aus Glas", "im Mai", "der Träume", "am Meer", "von Anna"},
	}
	titlesSwedish = foreignTitles{
		heads: []string{"Natten", "Tystnaden", "Sommaren", "Barnen", "Huset", "Återkomsten", "Resan", "Älven", "Systrarna",
			"Hemligheten", "Himlen", "Trädgården", "Vintern", "Fyren"},
		complements: []string{"i Stockholm", "utan slut", "vid havet", "i norr", "i maj", "över sjön", "på landet",
			"för Åsa", "i snön"},
	}
	titlesDanish = foreignTitles{
		heads: []string{"Natten", "Stilheden", "Sommeren", "Børnene", "Huset", "Hjemkomsten", "Rejsen", "Søstrene",
			"Hemmeligheden", "Himlen", "Haven", "Vinteren", "Fyret", "Festen"},
		complements: []string{"i København", "uden ende", "ved havet", "mod nord", "i maj", "over søen", "på landet",
			"for Søren", "i sneen"},
	}
	titlesPolish = foreignTitles{
		heads: []string{"Noc", "Cisza", "Lato", "Dzieci", "Dom", "Powrót", "Podróż", "Rzeka", "Siostry", "Tajemnica", "Niebo",
			"Ogród", "Zima", "Wesele"},
		complements: []string{"w Warszawie", "bez końca", "nad morzem", "na północy", "w maju", "nad jeziorem", "na wsi",
			"dla Łucji", "w śniegu"},
	}
	titlesCzech = foreignTitles{
		heads: []string{"Noc", "Ticho", "Léto", "Děti", "Dům", "Návrat", "Cesta", "Řeka", "Sestry", "Tajemství", "Nebe",
			"Zahrada", "Zima", "Svatba"},
		complements: []string{"v Praze", "bez konce", "u moře", "na severu", "v máji", "u rybníka", "na venkově",
			"pro Terezu", "ve sněhu"},
	}
	titlesPortuguese = foreignTitles{
		heads: []string{"A Noite", "O Silêncio", "O Verão", "As Crianças", "A Casa", "O Regresso", "A Viagem", "O Rio",
			"As Irmãs", "O Segredo", "O Céu", "O Jardim", "A Saudade", "O Último Baile"},
		complements: []string{"em Lisboa", "sem Fim", "do Sul", "à Beira-Mar", "de Outubro", "dos Pássaros", "de João",
			"na Chuva", "de Inverno", "ao Amanhecer"},
	}
	titlesTurkish = foreignTitles{
		heads: []string{"Gece", "Sessizlik", "Yaz", "Çocuklar", "Ev", "Dönüş", "Yolculuk", "Nehir", "Kız Kardeşler", "Sır",
			"Gökyüzü", "Bahçe", "Kış", "Düğün"},
		complements: []string{"İstanbul'da", "Sonsuz", "Deniz Kenarında", "Kuzeyde", "Mayısta", "Gölün Üstünde",
			"Köyde", "Karda"},
	}
	titlesJapanese = foreignTitles{
		heads: []string{"Tōkyō no Yoru", "Natsu no Owari", "Kodomotachi", "Ie", "Kaerimichi", "Tabi", "Kawa", "Shimai",
			"Himitsu", "Sora", "Niwa", "Fuyu no Hi", "Umibe", "Matsuri"},
		complements: []string{"Monogatari", "no Uta", "e", "no Kioku", "no Hikari", "Nikki"},
	}
	titlesKorean = foreignTitles{
		heads: []string{"Bam", "Chimmuk", "Yeoreum", "Aideul", "Jip", "Gwihwan", "Yeohaeng", "Gang", "Jamaedeul", "Bimil",
			"Haneul", "Jeongwon", "Gyeoul"},
		complements: []string{"Iyagi", "ui Norae", "ui Gieok", "ui Bit", "Ilgi"},
	}
)

// English title parts.
var (
	titleAdjectives = []string{"Silent", "Last", "Broken", "Golden", "Hidden", "Distant", "Crimson", "Quiet", "Burning",
		"Lonely", "Wild", "Bitter", "Endless", "Forgotten", "Electric", "Hollow", "Secret", "Northern", "Restless", "Pale",
		"Velvet", "Midnight", "Summer", "Winter", "Falling", "Dark", "Bright", "Little", "Long", "Strange", "Shattered",
		"Lucky", "Savage", "Gentle", "Final", "Blue", "Scarlet", "Iron", "Paper", "Glass"}
	titleNouns = []string{"Harbour", "River", "Garden", "Road", "House", "Mountain", "City", "Heart", "Promise", "Shadow",
		"Storm", "Letter", "Stranger", "Island", "Bridge", "Window", "Season", "Dream", "Mirror", "Lighthouse", "Frontier",
		"Kingdom", "Orchard", "Station", "Valley", "Sky", "Fire", "Crossing", "Witness", "Ballad", "Hour", "Tide", "Border",
		"Engine", "Circus", "Hotel", "Canyon", "Forest", "Desert", "Winter", "Daughter", "Son", "Brother", "Sister",
		"Detective", "Horizon", "Signal", "Coast", "Passage", "Affair"}
	titlePlaces = []string{"Paris", "Memphis", "Harlem", "Brooklyn", "Tangier", "Lisbon", "Havana", "Vienna", "Berlin",
		"Marrakech", "the North", "the Valley", "Elm Street", "Dover", "Saint-Malo", "Barstow", "Reno", "Galveston",
		"Santa Fe", "Montauk", "the Pacific", "the Moors"}
	titleTimes = []string{"Dawn", "Dusk", "Midnight", "Noon", "Christmas", "Easter", "the End of Summer", "Last Light",
		"First Snow", "High Tide"}
)

var genres = []string{"Drama", "Comedy", "Thriller", "Romance", "Crime", "Documentary", "Horror", "Science Fiction",
	"Animation", "Adventure", "Family", "Mystery", "War", "Western", "Musical", "Fantasy", "Biography", "History",
	"Action", "Music", "Sport"}

var companies = []string{"Northlight Pictures", "Harbour Films", "Lumière Noire Productions", "Red Kite Studios",
	"Blue Meridian Entertainment", "Cinéfrance Distribution", "Ostwind Filmproduktion", "Solano Films", "Aurora Borealis Film",
	"Greyhound Releasing", "Paper Lantern Pictures", "Celluloid Dreams Company", "Tramontana Cinema", "Kestrel Media",
	"Velvet Rope Films", "Silver Birch Productions", "Alta Mar Producciones", "Cinecittà Nuova", "Wolkenkratzer Film",
	"Nordic Light Studios", "Piękny Film", "Filmové Studio Vltava", "Estrela do Mar Filmes", "Boğaziçi Film",
	"Kaze Eiga", "Hanbit Pictures", "Long Shadow Company", "Open Road Picturehouse", "Marquise Films",
	"Saint-Ouen Productions", "Les Films du Dimanche", "Bandera Distribución", "Ferro & Figli", "Elbe Filmverleih",
	"Fjord Film", "Mosaic Distribution", "Lighthouse Releasing", "Crescent Moon Pictures", "Atlas Film Distribution",
	"Seventh Wave Films", "Parallax Pictures", "Firefly Features", "Bright Harbour Entertainment", "Magpie Films",
	"Oak & Ash Productions", "Pinewood Lane Pictures", "Sunset Strip Distribution", "Tidewater Films",
	"Corvo Nero Film", "Zéphyr Distribution"}

var (
	occupations = []string{"a retired boxer", "a night-shift nurse", "a struggling cellist", "a widowed baker",
		"a small-town detective", "a disgraced surgeon", "a teenage runaway", "an ageing film star", "a lighthouse keeper",
		"a schoolteacher", "a taxi driver", "a marine biologist", "a forger", "a young architect", "a travelling salesman",
		"a chess prodigy", "a war photographer", "a cabaret dancer", "a fisherman's daughter", "a translator"}
	incidents = []string{"a stranger arrives with a letter from the past", "the family farm is put up for sale",
		"a body washes up on the beach", "an old friend asks for one last favour", "a storm cuts the town off for a week",
		"a child goes missing during the summer fair", "a long-buried secret surfaces at a wedding",
		"the factory that employs half the town closes", "a winning lottery ticket goes missing",
		"an unexpected inheritance arrives", "a rival returns after twenty years", "a diagnosis changes everything"}
	pursuits = []string{"must decide what to sacrifice", "sets out across the country", "starts to question everything",
		"forms an unlikely friendship", "is drawn into a dangerous game", "tries to put a family back together",
		"goes looking for the truth", "falls in love against all sense", "plans an impossible escape",
		"has one night to make things right"}
)

var (
	critics = []string{"Anne Whitcombe", "Daniel Okafor", "Margaux Delorme", "Tom Ashby", "Priya Raman", "Sam Kowalczyk",
		"Lucía Ortega", "Henrik Dahl", "Grace McAllister", "Olivier Besson", "Ruth Feldman", "Kwame Asante", "Ines Vieira",
		"Jonah Pierce", "Yuki Matsuda", "Clara Lindholm", "Marquee staff"}
	publications = []string{"Marquee", "The Evening Reel", "Sight Lines", "Cinema Quarterly", "The Projectionist",
		"Frame Rate", "The Screening Room", "Northern Review", "Celluloid Weekly", "The Film Desk"}
	awardEvents = []struct{ name, event string }{
		{"Palme d'Or", "Cannes Film Festival"}, {"Golden Bear", "Berlin International Film Festival"},
		{"Golden Lion", "Venice Film Festival"}, {"Audience Award", "Sundance Film Festival"},
		{"César", "César Awards"}, {"BAFTA", "British Academy Film Awards"}, {"Goya", "Goya Awards"},
		{"Academy Award", "Academy Awards"}, {"Golden Leopard", "Locarno Film Festival"},
		{"People's Choice Award", "Toronto International Film Festival"}}
	awardCategories = []string{"Best Film", "Best Director", "Best Actress", "Best Actor", "Best Screenplay",
		"Best Cinematography", "Best Original Score", "Best Editing", "Best Supporting Actress", "Best Supporting Actor"}
	scoreSources = []string{"Critics' Aggregate", "Audience Poll", "Film Society Survey"}
	boxSources   = []string{"Distributor figures", "Trade press", "Box office tracker", "National film centre"}
)

// Reader review phrases.
var (
	handles = []string{"cinephile", "nightowl", "popcorn", "reelfan", "filmbuff", "moviegoer", "frontrow", "lastreel",
		"matinee", "projector", "cinemaniac", "bigscreen"}
	praiseTitles = []string{"A quiet masterpiece", "Better than I expected", "Stayed with me for days", "Beautifully made",
		"See it on the big screen", "An instant favourite", "Funny and moving", "Worth every minute", "A gem",
		"Five stars, no question", "The cast is superb", "I cried twice"}
	middleTitles = []string{"Good, not great", "Uneven but worth a look", "Strong start, weak ending",
		"Lovely to look at", "Fine for a Sunday afternoon", "Mixed feelings", "Some great scenes", "Not quite there"}
	panTitles = []string{"Not for me", "Overlong and dull", "I wanted to like it", "A real disappointment",
		"Walked out halfway", "All style, no story", "Skip it", "The trailer was better"}
	praiseSentences = []string{"The performances are wonderful, %s above all.", "%s directs with real confidence.",
		"Every frame looks like a painting.", "The score lifts every scene it is in.",
		"I laughed more than I have in months.", "It earns its emotional ending.",
		"The script trusts its audience.", "I want to see it again already."}
	middleSentences = []string{"%s is good, but the script lets them down.", "The middle hour drags.",
		"It looks gorgeous, even when the story wanders.", "Some scenes land, others fall flat.",
		"I admired it more than I enjoyed it.", "The ending felt rushed."}
	panSentences = []string{"Even %s cannot save it.", "It is at least thirty minutes too long.",
		"The dialogue is painfully on the nose.", "Nothing happens, slowly.", "I checked my watch more than once.",
		"The twist is obvious from the first scene."}
	spamBodies = []string{"Great film!!! Watch it free in HD at cheap-streams.example now", "best deals on tickets, visit ticket-bargains.example",
		"I earn $500 a day from home, ask me how"}
)

// Critic review phrases.
var (
	headlinesGood = []string{"%s is a triumph", "A quiet marvel in %s", "%s finds grace in small things",
		"Why %s deserves your evening", "%s: the year's most surprising film"}
	headlinesMixed = []string{"%s almost gets there", "Fine performances adrift in %s", "%s is handsome but hollow",
		"The good and the bad of %s"}
	headlinesBad = []string{"%s is a misfire", "Not even its cast can save %s", "%s mistakes length for depth",
		"A long sit: %s"}
	criticOpenings = []string{
		"There is a moment about halfway through *%s* when everything comes into focus.",
		"*%s* opens on a long, unhurried shot that tells you exactly what kind of film it will be.",
		"It is hard to think of a recent film that wears its influences as openly as *%s*.",
		"Few films this year have divided audiences as sharply as *%s*."}
	criticMiddles = []string{
		"%s, who has rarely been better, carries whole scenes with a glance.",
		"The direction by %s is precise without being cold, and the editing keeps the long middle section alive.",
		"Where the film stumbles is its script, which explains what the images had already shown.",
		"The cinematography favours natural light, and the interiors feel lived in rather than dressed.",
		"The supporting cast is uniformly strong; %s in particular makes a small part unforgettable.",
		"The score is sparing, and all the more effective for it."}
	criticClosings = []string{
		"It is, in the end, **a film worth seeking out**.",
		"Flawed, certainly, but never dull.",
		"See it with someone you can argue with afterwards.",
		"A lesser film than it thinks it is, but not without pleasures."}
	pullQuotes = []string{"A film of rare tenderness.", "Confident, funny and quietly devastating.",
		"Handsome, but hollow at its centre.", "The performances are reason enough to go.", "Overlong and undercooked."}
	trivia = []string{"Most of the film was shot in sequence.", "The lead actor learned to play the cello for the role.",
		"The production used a single camera for every scene.", "Several extras were residents of the town where it was shot.",
		"The original cut ran nearly four hours.", "The title changed three times during production."}
	goofs = []string{"A modern car is visible in the background of a period street scene.",
		"The level of wine in the glass changes between shots.", "A boom microphone dips into frame during the dinner scene."}
	lines = []string{"We were never going to get out of this town, were we?", "Some promises are only kept by breaking them.",
		"I didn't come all this way to be polite.", "Tomorrow, then. Or the day after.",
		"You always did like the view from the cheap seats."}
	trackWords = []string{"Theme", "Night Drive", "The Letter", "Harbour Lights", "Reprise", "Waltz", "Finale",
		"Departure", "Rain", "Homecoming", "Interlude", "Lullaby", "The Long Road", "Morning", "End Titles"}
	singers = []string{"The Wandering Hearts", "Lou Marchetti", "Nadia Sorel", "The Blue Hours", "Ray Castellano",
		"Éloïse Vidal", "Harbour Street Band", "Mila Novak"}
)
