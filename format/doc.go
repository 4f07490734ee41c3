// Package format knows the media types of the reference pages and chooses
// the format of an answer from the request's Accept header (Negotiate, RFC
// 9110 12.5.1), and writes JSON answers as XML in one pass (AppendXML): the
// root named after the entity, ArrayOf<Name> for an array, null as
// nil="true", names escaped as .NET's XmlConvert does. It is plain Go on
// bytes and headers: it imports nothing from Caddy.
package format
