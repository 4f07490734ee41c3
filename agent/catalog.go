package agent

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// data holds one file per agent. A new agent is a new file here: Lookup
// finds it by the name its "agent" field gives.
//
//go:embed *.json
var data embed.FS

// maxName is the longest name the catalogue accepts (agent, method,
// parameter, type, property, enum and member names). Lookups lower-case a
// name into a stack buffer of this size, so they never allocate.
const maxName = 128

// Catalog is one agent's methods and the types they use, read from its data
// file. A Catalog is never changed after Parse returns it; callers must not
// change it either, as Chat and Lookup share one copy.
type Catalog struct {
	Agent   string    // the agent's name, as in the path: Agents/<Agent>/<Method>
	Methods []*Method // in the data file's order

	methods map[string]*Method // by ASCII lower-case name
	types   []*Type            // in the data file's order
	typeMap map[string]*Type
	enums   []*Enum // in the data file's order
	enumMap map[string]*Enum
	base    string // "/Agents/<Agent>/", the endpoints' path below the API prefix

	metadata []Metadata
}

// carrierMetadata are the read-only properties a carrier's answer may hold
// besides its own (SuperOffice's Carrier base), and the catalogue types of
// their values: TableRight, and FieldProperties, an object from property
// names to FieldProperty. A data file that defines those types has them
// shaped in answers (their flags as names: the official clients fail on a
// numeric one); one that does not has them kept as they came.
var carrierMetadata = [...]struct {
	name, typ string
	isMap     bool
}{{"TableRight", "TableRight", false}, {"FieldProperties", "FieldProperty", true}}

// Metadata is one of the read-only properties every carrier's answer may
// hold besides its own.
type Metadata struct {
	Name string
	Type *TypeRef // its value's type (a map's values' type); nil when the data file does not define it
	Map  bool     // an object of any names whose values are of Type
}

// Metadata are the read-only properties every carrier's answer may hold
// besides its own.
func (c *Catalog) Metadata() []Metadata { return c.metadata }

// isMetadata reports a carrier's read-only metadata property, its name in
// any case.
func isMetadata(key string) bool {
	for _, m := range carrierMetadata {
		if strings.EqualFold(key, m.name) {
			return true
		}
	}
	return false
}

// embedded parses every data file once; a file that does not parse is a
// programming error that the package's tests catch, hence the panic.
var embedded = sync.OnceValue(func() map[string]*Catalog {
	files, err := fs.Glob(data, "*.json")
	if err != nil {
		panic("agent: " + err.Error())
	}
	all := make(map[string]*Catalog, len(files))
	for _, name := range files {
		b, err := data.ReadFile(name)
		if err != nil {
			panic("agent: " + err.Error())
		}
		c, err := Parse(b)
		if err != nil {
			panic(fmt.Sprintf("agent: the embedded data file %s is broken: %v", name, err))
		}
		key := lower(c.Agent)
		if _, dup := all[key]; dup {
			panic(fmt.Sprintf("agent: the embedded data file %s: agent %q is defined twice", name, c.Agent))
		}
		all[key] = c
	}
	return all
})

// Chat is the catalogue of the Agents/Chat agent (agents-chat.md), parsed
// once from the embedded chat.json.
func Chat() *Catalog { return Lookup("Chat") }

// Lookup is the catalogue of the named agent, matched in any ASCII case
// ("Chat", "chat"), or nil if no embedded data file defines it.
func Lookup(agent string) *Catalog {
	if len(agent) > maxName {
		return nil
	}
	var buf [maxName]byte
	return embedded()[string(appendLower(buf[:0], agent))]
}

// Method is the method of that name, matched in any ASCII case, or nil.
func (c *Catalog) Method(name string) *Method {
	if c == nil || len(name) > maxName {
		return nil
	}
	var buf [maxName]byte
	return c.methods[string(appendLower(buf[:0], name))]
}

// Type is the carrier of exactly that name, or nil.
func (c *Catalog) Type(name string) *Type {
	if c == nil {
		return nil
	}
	return c.typeMap[name]
}

// Enum is the enum of exactly that name, or nil. Besides the enums the
// carriers' properties use, a catalogue may list enums of carriers it passes
// on as Object (Person, Sale, Ticket) and of the carriers' TableRight and
// FieldProperties (ETableRight, EFieldRight).
func (c *Catalog) Enum(name string) *Enum {
	if c == nil {
		return nil
	}
	return c.enumMap[name]
}

// Method is one method of an agent: POST Agents/<Agent>/<Name>.
type Method struct {
	Name    string
	Params  []*Param // in the order of the reference pages
	Returns *TypeRef // ScalarVoid for a method that returns nothing
}

// Param is the parameter of that name, matched in any ASCII case, or nil.
func (m *Method) Param(name string) *Param {
	for _, p := range m.Params {
		if EqualFold(p.Name, name) {
			return p
		}
	}
	return nil
}

// EntityParam is the parameter whose value is the whole request body (the
// entity of a Save method), or nil if the method has none.
func (m *Method) EntityParam() *Param {
	for _, p := range m.Params {
		if p.Entity {
			return p
		}
	}
	return nil
}

// Param is one parameter of a method.
type Param struct {
	// Name is the parameter's name: a query parameter as the official
	// client spells it (chatSessionEntityId, ChatSessionEntityId), a body
	// parameter in PascalCase as on the reference pages (ChatSessionId).
	// Clients may send either in any ASCII case.
	Name string
	In   string // "query" or "body"
	Type *TypeRef
	// Required tells whether a request without the parameter is refused.
	Required bool
	// Entity marks the one parameter of a Save method that is the whole
	// request body rather than a property of it. Its Type is a carrier.
	Entity bool
}

// Scalar is a built-in type of the catalogue: a value that is not a carrier
// or an enum.
type Scalar int

// The built-in types, with the name a data file gives each and the rule a
// value must follow.
const (
	ScalarNone     Scalar = iota // not a scalar: TypeRef.Enum or TypeRef.Type is set
	ScalarVoid                   // "void": no value; only as a method's return type
	ScalarId                     // "Id": an Int32 from 1 to 2147483647, for ids that name a record
	ScalarRecordId               // "RecordId": an Int32 from 0 to 2147483647, a record's id in a carrier (0: not saved yet, or none)
	ScalarInt32                  // "Int32": a 32-bit signed integer
	ScalarNumber                 // "Number": a number the docs do not type as int32
	ScalarBoolean                // "Boolean": true or false
	ScalarString                 // "String": any string
	ScalarUserName               // "UserName": a user's name, 1..255 characters, no control characters
	ScalarDateTime               // "DateTime": an ISO 8601 date-time
	ScalarDuration               // "Duration": an ISO 8601 or .NET TimeSpan duration
	ScalarMap                    // "Map": an object of string values
	ScalarObject                 // "Object": an object the catalogue does not describe, passed on as is
)

// scalars describes each Scalar: its name in a data file and the
// DataContract name .NET gives the type, which names the XML root of an
// answer of that type (see TypeRef.XMLRoot).
var scalars = [...]struct{ name, xml string }{
	ScalarNone:     {"", ""},
	ScalarVoid:     {"void", ""},
	ScalarId:       {"Id", "int"},
	ScalarRecordId: {"RecordId", "int"},
	ScalarInt32:    {"Int32", "int"},
	ScalarNumber:   {"Number", "double"},
	ScalarBoolean:  {"Boolean", "boolean"},
	ScalarString:   {"String", "string"},
	ScalarUserName: {"UserName", "string"},
	ScalarDateTime: {"DateTime", "dateTime"},
	ScalarDuration: {"Duration", "duration"},
	ScalarMap:      {"Map", "ArrayOfKeyValueOfstringstring"},
	ScalarObject:   {"Object", "anyType"},
}

// scalarByName finds the Scalar a data file names, or ScalarNone.
func scalarByName(name string) Scalar {
	for s := ScalarVoid; int(s) < len(scalars); s++ {
		if scalars[s].name == name {
			return s
		}
	}
	return ScalarNone
}

// TypeRef is a resolved type: exactly one of Scalar, Enum, Type is set
// (Scalar is ScalarVoid for void). For an array (X[]), Array is true and
// Scalar, Enum or Type describe the element.
type TypeRef struct {
	Name   string // as written, e.g. "ChatMessage[]"
	Array  bool
	Scalar Scalar
	Enum   *Enum
	Type   *Type

	elem    *TypeRef // for an array, its element
	xmlRoot string
}

// Elem is the element type of an array, or nil if t is not an array.
func (t *TypeRef) Elem() *TypeRef { return t.elem }

// XMLRoot is the root element of an XML answer of this type, the name
// .NET's DataContractSerializer gives it: a carrier or an enum by its name
// (ChatSessionEntity); String and UserName "string", Boolean "boolean", Id
// and Int32 "int", Number "double" (the catalogue does not know it to be
// integral), DateTime "dateTime", Duration "duration" (TimeSpan), Map
// "ArrayOfKeyValueOfstringstring" (Dictionary<string,string>), Object
// "anyType"; an array "ArrayOf" and its element's root (ArrayOfChatMessage,
// ArrayOfint). Void has no root: "".
func (t *TypeRef) XMLRoot() string { return t.xmlRoot }

// Type is a carrier: an object with named properties.
type Type struct {
	Name string
	// Carrier marks a type that inherits SuperOffice's Carrier, so that
	// answers may also hold TableRight and FieldProperties, which are not
	// among Properties.
	Carrier    bool
	Properties []*Property // in the order of the reference tables

	index   map[string]*Property // by ASCII lower-case name
	longest int                  // the length of the longest property name
}

// Property is the property of that name, matched in any ASCII case, or nil.
// It does not allocate.
func (t *Type) Property(name []byte) *Property {
	if t == nil || len(name) > t.longest {
		return nil
	}
	var buf [maxName]byte
	return t.index[string(appendLower(buf[:0], name))]
}

// Property is one property of a carrier.
type Property struct {
	Name string // PascalCase, as the server writes it
	Type *TypeRef
}

// Enum is an enumeration. On the wire a member is written by its name;
// a Flags enum's value is the names of its members joined by ", ".
type Enum struct {
	Name    string
	Flags   bool
	Members []Member // in the data file's order; names unique in any case, values may repeat (aliases)

	index   map[string]int64 // by ASCII lower-case name
	longest int
	all     int64    // every bit some member has (Flags)
	zero    int      // the index of the first member of value 0, or -1
	parts   []Member // Flags: the first member of each non-zero value, largest value first
}

// Member is one member of an enum.
type Member struct {
	Name  string
	Value int64
}

// NameOf is the name of the first member whose value is v. For a Flags
// enum use AppendFlags, which also writes combinations. (It is not called
// Name, as Go does not allow a method and a field of one name.)
func (e *Enum) NameOf(v int64) (string, bool) {
	for _, m := range e.Members {
		if m.Value == v {
			return m.Name, true
		}
	}
	return "", false
}

// Value is the value of the member of that name, matched in any ASCII case.
func (e *Enum) Value(name string) (int64, bool) {
	if len(name) > e.longest {
		return 0, false
	}
	var buf [maxName]byte
	v, ok := e.index[string(appendLower(buf[:0], name))]
	return v, ok
}

// AppendFlags appends v as .NET's Enum.ToString writes a [Flags] value and
// SuperOffice's JSON carries it: going from the largest member value down,
// each member whose bits are all still left in v is taken and its bits
// removed (so 15 is "FULL", not "Select, Update, Insert, Delete"); the
// members taken are written in ascending order of value, joined by ", ".
// Where values repeat, the first member of that value is used. 0 is written
// as the first member of value 0. If no such member exists, or bits of v are
// left that no member takes, or v is negative, AppendFlags returns dst
// unchanged and false. For an enum that is not Flags it writes the name of
// the member, as NameOf does.
func (e *Enum) AppendFlags(dst []byte, v int64) ([]byte, bool) {
	if !e.Flags {
		name, ok := e.NameOf(v)
		return append(dst, name...), ok
	}
	if v < 0 {
		return dst, false
	}
	if v == 0 {
		if e.zero < 0 {
			return dst, false
		}
		return append(dst, e.Members[e.zero].Name...), true
	}
	// Each member taken clears at least one of v's 63 bits.
	var taken [63]uint16
	n := 0
	left := v
	for i, m := range e.parts {
		if left&m.Value == m.Value {
			taken[n] = uint16(i)
			n++
			left &^= m.Value
			if left == 0 {
				break
			}
		}
	}
	if left != 0 {
		return dst, false
	}
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, e.parts[taken[i]].Name...)
		if i > 0 {
			dst = append(dst, ", "...)
		}
	}
	return dst, true
}

// ParseFlags reads a Flags value: member names (any ASCII case) or decimal
// numbers, separated by commas with optional blanks ("Email, Name",
// "email,name", "3"), ORed together. It fails on an empty list or item, an
// unknown name, a negative number, or a number with a bit that no member
// has. For an enum that is not Flags it reads one name or the number of a
// member.
func (e *Enum) ParseFlags(s string) (int64, bool) {
	var v int64
	for i := 0; ; {
		j := strings.IndexByte(s[i:], ',')
		end := len(s)
		if j >= 0 {
			end = i + j
		}
		item := trimBlanks(s[i:end])
		if item == "" {
			return 0, false
		}
		x, ok := e.Value(item)
		if !ok {
			if item[0] < '0' || item[0] > '9' {
				return 0, false
			}
			n, err := strconv.ParseInt(item, 10, 64)
			if err != nil {
				return 0, false
			}
			if e.Flags && n&^e.all != 0 {
				return 0, false
			}
			if _, ok := e.NameOf(n); !e.Flags && !ok {
				return 0, false
			}
			x = n
		}
		v |= x
		if j < 0 {
			return v, true
		}
		if !e.Flags {
			return 0, false
		}
		i = end + 1
	}
}

// The data file's shape, as written.
type (
	fileJSON struct {
		Agent   string            `json:"agent"`
		Methods []json.RawMessage `json:"methods"`
		Types   json.RawMessage   `json:"types"`
		Enums   json.RawMessage   `json:"enums"`
	}
	methodJSON struct {
		Name    string            `json:"name"`
		Returns string            `json:"returns"`
		Params  []json.RawMessage `json:"params"`
	}
	paramJSON struct {
		Name     string `json:"name"`
		In       string `json:"in"`
		Type     string `json:"type"`
		Required bool   `json:"required"`
		Entity   bool   `json:"entity"`
	}
	typeJSON struct {
		Carrier    bool              `json:"carrier"`
		Properties []json.RawMessage `json:"properties"` // [name, type] pairs
	}
	enumJSON struct {
		Flags   bool              `json:"flags"`
		Members []json.RawMessage `json:"members"` // [name, value] pairs
	}
)

// Parse reads and resolves a data file (see the package overview). Every
// error names the method, parameter, type, property, enum or member at
// fault and what is wrong with it.
func Parse(b []byte) (*Catalog, error) {
	var f fileJSON
	if err := strictUnmarshal(b, &f); err != nil {
		return nil, errorf("not a valid data file: %v", err)
	}
	if f.Agent == "" {
		return nil, errorf(`no "agent" name`)
	}
	if err := checkName(f.Agent); err != nil {
		return nil, errorf("agent %q: %v", f.Agent, err)
	}
	if len(f.Methods) == 0 {
		return nil, errorf("agent %q: no methods", f.Agent)
	}
	c := &Catalog{
		Agent:   f.Agent,
		base:    "/Agents/" + f.Agent + "/",
		methods: make(map[string]*Method, len(f.Methods)),
		typeMap: map[string]*Type{},
		enumMap: map[string]*Enum{},
	}
	// Names first, so that types may refer to each other (and themselves).
	typesJSON, err := objectEntries(f.Types)
	if err != nil {
		return nil, errorf(`"types": %v`, err)
	}
	enumsJSON, err := objectEntries(f.Enums)
	if err != nil {
		return nil, errorf(`"enums": %v`, err)
	}
	for _, kv := range typesJSON {
		if err := c.declare(kv.key, "type"); err != nil {
			return nil, err
		}
		t := &Type{Name: kv.key}
		c.types = append(c.types, t)
		c.typeMap[t.Name] = t
	}
	for _, kv := range enumsJSON {
		if err := c.declare(kv.key, "enum"); err != nil {
			return nil, err
		}
		e := &Enum{Name: kv.key}
		c.enums = append(c.enums, e)
		c.enumMap[e.Name] = e
	}
	for i, kv := range enumsJSON {
		if err := c.enums[i].parse(kv.value); err != nil {
			return nil, errorf("enum %q: %v", kv.key, err)
		}
	}
	for i, kv := range typesJSON {
		if err := c.types[i].parse(c, kv.value); err != nil {
			return nil, errorf("type %q: %v", kv.key, err)
		}
	}
	for i, raw := range f.Methods {
		m, err := c.parseMethod(raw)
		if err != nil {
			if m == nil || m.Name == "" {
				return nil, errorf("method #%d: %v", i+1, err)
			}
			return nil, errorf("method %q: %v", m.Name, err)
		}
		key := lower(m.Name)
		if _, dup := c.methods[key]; dup {
			return nil, errorf("method %q: defined twice (method names match in any case)", m.Name)
		}
		c.methods[key] = m
		c.Methods = append(c.Methods, m)
	}
	for _, m := range carrierMetadata {
		md := Metadata{Name: m.name, Map: m.isMap}
		if c.typeMap[m.typ] != nil {
			if md.Type, err = c.resolve(m.typ, false); err != nil {
				return nil, errorf("carrier metadata %q: %v", m.name, err)
			}
		}
		c.metadata = append(c.metadata, md)
	}
	return c, nil
}

// declare checks the name of a type or enum before it is added.
func (c *Catalog) declare(name, kind string) error {
	if err := checkName(name); err != nil {
		return errorf("%s %q: %v", kind, name, err)
	}
	if scalarByName(name) != ScalarNone {
		return errorf("%s %q: the name of a built-in type", kind, name)
	}
	if kind == "type" && c.typeMap[name] != nil || kind == "enum" && c.enumMap[name] != nil {
		return errorf("%s %q: defined twice", kind, name)
	}
	if c.typeMap[name] != nil || c.enumMap[name] != nil {
		return errorf("%s %q: a type and an enum have this name", kind, name)
	}
	return nil
}

// parseMethod reads one method. On an error it returns the method as far as
// it was read, so the caller can name it.
func (c *Catalog) parseMethod(raw json.RawMessage) (*Method, error) {
	var mj methodJSON
	if err := strictUnmarshal(raw, &mj); err != nil {
		return nil, err
	}
	m := &Method{Name: mj.Name}
	if mj.Name == "" {
		return m, errors.New(`no "name"`)
	}
	if err := checkName(mj.Name); err != nil {
		return m, err
	}
	if mj.Returns == "" {
		return m, errors.New(`no "returns" type`)
	}
	ret, err := c.resolve(mj.Returns, true)
	if err != nil {
		return m, fmt.Errorf("return type: %v", err)
	}
	m.Returns = ret
	var entity *Param // the entity parameter, if any
	bodies := 0       // the number of body parameters so far
	for i, raw := range mj.Params {
		p, err := c.parseParam(raw)
		if err != nil {
			if p == nil || p.Name == "" {
				return m, fmt.Errorf("parameter #%d: %v", i+1, err)
			}
			return m, fmt.Errorf("parameter %q: %v", p.Name, err)
		}
		if m.Param(p.Name) != nil {
			return m, fmt.Errorf("parameter %q: defined twice (parameter names match in any case)", p.Name)
		}
		if p.In == "body" {
			// The client sends the entity as the whole body (agents-chat.md A.2).
			switch {
			case p.Entity && bodies > 0:
				entity = p
				fallthrough
			case entity != nil:
				return m, fmt.Errorf("parameter %q: an entity parameter must be the method's only body parameter", entity.Name)
			case p.Entity:
				entity = p
			}
			bodies++
		}
		m.Params = append(m.Params, p)
	}
	return m, nil
}

// parseParam reads one parameter, returning it as far as it was read.
func (c *Catalog) parseParam(raw json.RawMessage) (*Param, error) {
	var pj paramJSON
	if err := strictUnmarshal(raw, &pj); err != nil {
		return nil, err
	}
	p := &Param{Name: pj.Name, In: pj.In, Required: pj.Required, Entity: pj.Entity}
	if pj.Name == "" {
		return p, errors.New(`no "name"`)
	}
	if err := checkName(pj.Name); err != nil {
		return p, err
	}
	if pj.In != "query" && pj.In != "body" {
		return p, fmt.Errorf(`"in" is %q: want "query" or "body"`, pj.In)
	}
	if pj.Type == "" {
		return p, errors.New(`no "type"`)
	}
	t, err := c.resolve(pj.Type, false)
	if err != nil {
		return p, err
	}
	p.Type = t
	switch {
	case pj.Entity && (t.Type == nil || t.Array):
		return p, fmt.Errorf("an entity parameter must have a type from \"types\", not %q", t.Name)
	case pj.Entity && pj.In != "body":
		return p, errors.New(`an entity parameter must be "in": "body"`)
	case pj.In == "query" && (t.Array || t.Type != nil || t.Scalar == ScalarMap || t.Scalar == ScalarObject):
		return p, fmt.Errorf("a query parameter must have a scalar or enum type, not %q", t.Name)
	}
	return p, nil
}

// parse reads a type's properties.
func (t *Type) parse(c *Catalog, raw json.RawMessage) error {
	var tj typeJSON
	if err := strictUnmarshal(raw, &tj); err != nil {
		return err
	}
	t.Carrier = tj.Carrier
	if len(tj.Properties) == 0 {
		return errors.New("no properties (type a carrier whose fields are not known as Object where it is used)")
	}
	t.index = make(map[string]*Property, len(tj.Properties))
	for i, raw := range tj.Properties {
		var pair []string
		if err := strictUnmarshal(raw, &pair); err != nil || len(pair) != 2 {
			return fmt.Errorf(`property #%d: want a ["Name", "Type"] pair, got %s`, i+1, raw)
		}
		name := pair[0]
		if err := checkName(name); err != nil {
			return fmt.Errorf("property #%d %q: %v", i+1, name, err)
		}
		key := lower(name)
		if t.index[key] != nil {
			return fmt.Errorf("property %q: defined twice (property names match in any case)", name)
		}
		ref, err := c.resolve(pair[1], false)
		if err != nil {
			return fmt.Errorf("property %q: %v", name, err)
		}
		p := &Property{Name: name, Type: ref}
		t.index[key] = p
		t.Properties = append(t.Properties, p)
		t.longest = max(t.longest, len(name))
	}
	return nil
}

// parse reads an enum's members.
func (e *Enum) parse(raw json.RawMessage) error {
	var ej enumJSON
	if err := strictUnmarshal(raw, &ej); err != nil {
		return err
	}
	e.Flags = ej.Flags
	if len(ej.Members) == 0 {
		return errors.New("no members")
	}
	e.index = make(map[string]int64, len(ej.Members))
	e.zero = -1
	for i, raw := range ej.Members {
		var pair []any
		err := strictUnmarshal(raw, &pair)
		var name string
		var num json.Number
		if err == nil && len(pair) == 2 {
			name, _ = pair[0].(string)
			num, _ = pair[1].(json.Number)
		}
		if name == "" || num == "" {
			return fmt.Errorf(`member #%d: want a ["Name", number] pair, got %s`, i+1, raw)
		}
		if err := checkName(name); err != nil {
			return fmt.Errorf("member #%d %q: %v", i+1, name, err)
		}
		v, err := strconv.ParseInt(num.String(), 10, 64)
		if err != nil {
			return fmt.Errorf("member %q: the value %s is not a 64-bit integer", name, num)
		}
		if e.Flags && v < 0 {
			return fmt.Errorf("member %q: the value %d of a flags member is negative", name, v)
		}
		key := lower(name)
		if _, dup := e.index[key]; dup {
			return fmt.Errorf("member %q: defined twice (member names match in any case)", name)
		}
		e.index[key] = v
		e.longest = max(e.longest, len(name))
		e.all |= v
		if v == 0 && e.zero < 0 {
			e.zero = len(e.Members)
		}
		if v != 0 && !hasValue(e.Members, v) {
			e.parts = append(e.parts, Member{name, v})
		}
		e.Members = append(e.Members, Member{name, v})
	}
	sort.SliceStable(e.parts, func(i, j int) bool { return e.parts[i].Value > e.parts[j].Value })
	return nil
}

func hasValue(members []Member, v int64) bool {
	for _, m := range members {
		if m.Value == v {
			return true
		}
	}
	return false
}

// resolve finds the type a data file names: a built-in, a type or an enum,
// or an array of one of them ("X[]"). Void is allowed only where ret.
func (c *Catalog) resolve(name string, ret bool) (*TypeRef, error) {
	elemName, array := strings.CutSuffix(name, "[]")
	if strings.HasSuffix(elemName, "[]") {
		return nil, fmt.Errorf("type %q: arrays of arrays are not supported", name)
	}
	elem := &TypeRef{Name: elemName}
	switch s, t, e := scalarByName(elemName), c.typeMap[elemName], c.enumMap[elemName]; {
	case s == ScalarVoid && (array || !ret):
		return nil, fmt.Errorf("type %q: void is only a method's return type", name)
	case s != ScalarNone:
		elem.Scalar, elem.xmlRoot = s, scalars[s].xml
	case t != nil:
		elem.Type, elem.xmlRoot = t, t.Name
	case e != nil:
		elem.Enum, elem.xmlRoot = e, e.Name
	default:
		return nil, fmt.Errorf("unknown type %q", name)
	}
	if !array {
		return elem, nil
	}
	return &TypeRef{
		Name:    name,
		Array:   true,
		Scalar:  elem.Scalar,
		Enum:    elem.Enum,
		Type:    elem.Type,
		elem:    elem,
		xmlRoot: "ArrayOf" + elem.xmlRoot,
	}, nil
}

// checkName accepts the names a data file may give: an ASCII letter or '_',
// then letters, digits and '_', at most maxName bytes. They are valid in a
// URL path, as an XML element name, and in a ", " list of flags.
func checkName(s string) error {
	if len(s) > maxName {
		return fmt.Errorf("the name is longer than %d bytes", maxName)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9' {
			continue
		}
		return errors.New("a name must be an ASCII letter or '_', then letters, digits and '_'")
	}
	return nil
}

// strictUnmarshal decodes one JSON value into v, refusing unknown object
// keys and anything after the value. Numbers in an interface{} stay
// json.Number.
func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

type entry struct {
	key   string
	value json.RawMessage
}

// objectEntries reads a JSON object's members in order (encoding/json's
// maps lose the order and silently keep the last of two equal keys). A
// missing or null object has none.
func objectEntries(b json.RawMessage) ([]entry, error) {
	if len(b) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok == nil {
		return nil, nil
	}
	if tok != json.Delim('{') {
		return nil, errors.New("want an object")
	}
	var out []entry
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var e entry
		e.key = tok.(string)
		if err := dec.Decode(&e.value); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func errorf(format string, args ...any) error {
	return fmt.Errorf("catalog: "+format, args...)
}

// appendLower appends s with ASCII upper-case letters lowered.
func appendLower[S string | []byte](dst []byte, s S) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func lower(s string) string {
	var buf [maxName]byte
	return string(appendLower(buf[:0], s))
}

// trimBlanks removes leading and trailing ASCII blanks.
func trimBlanks(s string) string {
	for s != "" && isBlank(s[0]) {
		s = s[1:]
	}
	for s != "" && isBlank(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// NotFound is the answer to "nothing there" (a backend's 404, or an empty
// answer) for a method returning t, as the Agents API answers it
// (agents-chat.md D.5, F.1): 200 [] for a list, 204 with no body for void,
// 200 null for every other type.
func (t *TypeRef) NotFound() (status int, body []byte) {
	switch {
	case t.Array:
		return http.StatusOK, []byte("[]")
	case t.Scalar == ScalarVoid:
		return http.StatusNoContent, nil
	}
	return http.StatusOK, []byte("null")
}

// XMLName is the element name the XML writer is given for an answer of
// type t: an array's element name (the writer makes ArrayOf<Name> of it),
// else the root's.
func (t *TypeRef) XMLName() string {
	if t.Array {
		return t.Elem().XMLRoot()
	}
	return t.XMLRoot()
}
