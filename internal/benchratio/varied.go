package benchratio

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Oslo without a zone database on the machine

	"github.com/tidwall/gjson"
)

// VariedChatSessions is a JSON array of n ChatSession entities made from
// entity (compact: the reference pages' sample), its keys in its order,
// with their values varied as a real list's are: ids and numbers of any
// width; names, companies and messages of any length, many of them with
// Norwegian letters (æ, ø, å: two-byte UTF-8) and some with a dash or
// quotation marks of three bytes; the five dates anywhere in twelve
// years, in Oslo time with its offset of the day; the user an associate
// half of the time, else null; the status one of four. The same n gives
// the same bytes.
func VariedChatSessions(entity []byte, n int) []byte {
	r := rand.New(rand.NewPCG(17, 1))
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		panic(err) // time/tzdata is in the binary
	}
	pick := func(words []string) string { return words[r.IntN(len(words))] }
	phrase := func(most int) string {
		words := make([]string, 1+r.IntN(most))
		for i := range words {
			words[i] = pick(messageWords)
		}
		return strings.Join(words, " ")
	}
	date := func() string {
		t := time.Date(2015+r.IntN(12), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1e9), oslo)
		return strconv.Quote(t.Format("2006-01-02T15:04:05.0000000-07:00"))
	}
	b := []byte{'['}
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		first, last := pick(firstNames), pick(lastNames)
		user := "null"
		if r.IntN(2) == 0 {
			associate := pick(firstNames)
			user = fmt.Sprintf(`{"AssociateId":%d,"Name":%q,"PersonId":%d,"FullName":%q,"Type":"Associate","Deleted":false}`,
				1+r.IntN(400), strings.ToUpper(string([]rune(associate)[:2])), 1+r.IntN(90000), associate+" "+pick(lastNames))
		}
		b = appendWith(b, entity, map[string]string{
			"ChatSessionId":       strconv.Itoa(1 + r.IntN(2000000)),
			"TopicId":             strconv.Itoa(1 + r.IntN(40)),
			"User":                user,
			"CustomerAlias":       strconv.Quote(strings.ToLower(first)),
			"CustomerHost":        strconv.Quote(fmt.Sprintf("10.%d.%d.%d", r.IntN(256), r.IntN(256), r.IntN(256))),
			"CustomerName":        jsonString(first + " " + last),
			"CustomerEmail":       strconv.Quote(fmt.Sprintf("kunde%d@example.no", r.IntN(100000))),
			"CustomerPhone":       strconv.Quote(fmt.Sprintf("+47 %03d %02d %03d", r.IntN(1000), r.IntN(100), r.IntN(1000))),
			"CustomerConsented":   strconv.FormatBool(r.IntN(3) > 0),
			"CustomerCompanyName": jsonString(pick(lastNames) + " " + pick(companyForms)),
			"Status":              strconv.Quote(pick([]string{"Closed", "Idle", "Talking", "Queued"})),
			"FirstMessage":        jsonString(phrase(14)),
			"LastMessage":         jsonString(phrase(8)),
			"WhenRequested":       date(),
			"WhenStarted":         date(),
			"WhenEnded":           date(),
			"WhenIdle":            date(),
			"WhenFetched":         date(),
			"SessionKey":          strconv.Quote(fmt.Sprintf("%016x", r.Uint64())),
			"InitialQueuePos":     strconv.Itoa(r.IntN(30)),
			"AlertLevel":          strconv.Itoa(r.IntN(4)),
			"Rank":                strconv.Itoa(r.IntN(100000)),
			"Rating":              strconv.Itoa(r.IntN(6)),
		})
	}
	return append(b, ']')
}

// appendWith appends entity with the values of its top-level keys in
// values replaced by theirs (JSON).
func appendWith(dst, entity []byte, values map[string]string) []byte {
	type value struct {
		start, end int
		json       string
	}
	var spans []value
	for key, json := range values {
		v := gjson.GetBytes(entity, key)
		if !v.Exists() {
			panic("the entity has no " + key)
		}
		spans = append(spans, value{v.Index, v.Index + len(v.Raw), json})
	}
	slices.SortFunc(spans, func(a, b value) int { return a.start - b.start })
	at := 0
	for _, v := range spans {
		dst = append(append(dst, entity[at:v.start]...), v.json...)
		at = v.end
	}
	return append(dst, entity[at:]...)
}

// jsonString is s as a JSON string, its text as it is (strconv.Quote
// would escape what JSON need not).
func jsonString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

var (
	firstNames = []string{"Bjørn", "Åse", "Ærling", "Øystein", "Kari", "Ola", "Siv", "Håkon", "Ingrid", "Jørgen",
		"Ane", "Pål", "Tove", "Sæbjørn", "Liv", "Anders", "Marit", "Kåre", "José", "Zoë"}
	lastNames = []string{"Strøm", "Sæther", "Ødegård", "Hansen", "Johansen", "Bråten", "Løvås", "Nilsen", "Aas",
		"Kjærstad", "Berg", "Haugen", "Müller", "Næss", "Dahl", "Grønli"}
	companyForms = []string{"AS", "ASA", "og Sønner AS", "Eiendom AS", "Regnskap", "– Kundeservice"}
	messageWords = []string{"hei", "jeg", "har", "et", "spørsmål", "om", "fakturaen", "min", "på", "kr", "1 250,00",
		"kan", "dere", "hjelpe", "med", "å", "endre", "leveringsadressen", "til", "Tromsø", "takk", "for", "svaret",
		"ha", "en", "fin", "dag", "ordrenummer", "«A-4711»", "mottatt", "i", "går", "men", "pakken", "var", "skadet",
		"ønsker", "å", "bytte", "størrelse", "på", "jakken", "Kundestøtte", "svarer", "innen", "én", "time"}
)
