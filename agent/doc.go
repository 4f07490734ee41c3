// Package agent is the catalogue of SuperOffice's Agents WebAPI: for each
// agent, its methods (parameters with their wire names, where they travel
// and their types; the return type), and the carriers and enums those
// methods use. The gateway's Agents endpoint is driven by this data, so
// that one place lists what the 31 methods of Agents/Chat take and give.
//
// The data lives in one JSON file per agent, embedded in the package
// (chat.json for Agents/Chat, whose facts come from agents-chat.md).
// Adding a method, a type or an enum, or another agent, is a change to the
// data: Lookup finds every embedded file by its "agent" name, and Chat is
// Lookup("Chat"). Parse reads such a file and resolves every type name,
// and the package's tests check chat.json against agents-chat.md.
//
// # The data file
//
//	{
//	  "agent": "Chat",
//	  "methods": [
//	    {"name": "TransferChatSession", "returns": "ChatSessionEntity",
//	     "params": [{"name": "ChatSessionId", "in": "body", "type": "Id", "required": true},
//	                {"name": "ToAssociate", "in": "body", "type": "UserName", "required": true}]},
//	    {"name": "SaveChatSessionEntity", "returns": "ChatSessionEntity",
//	     "params": [{"name": "ChatSessionEntity", "in": "body", "type": "ChatSessionEntity",
//	                 "required": true, "entity": true}]},
//	    {"name": "GetChatPresence", "returns": "ChatPresence[]", "params": []}
//	  ],
//	  "types": {
//	    "ChatSessionEntity": {"carrier": true, "properties": [["ChatSessionId", "RecordId"], ["Status", "ChatSessionStatus"]]}
//	  },
//	  "enums": {
//	    "ChatSessionStatus": {"flags": false, "members": [["Invalid", 0], ["PreChatForm", 1]]}
//	  }
//	}
//
// Methods are listed in the order of the reference; a method's path is
// Agents/<agent>/<name>. A parameter is "in" the "query" (its name spelled
// as the official client sends it) or the "body" (its name in PascalCase,
// as on the reference pages); a Save method's entity is the one body
// parameter marked "entity", whose value is the whole body. A type name is
// a built-in (Scalar: void, Id, RecordId, Int32, Number, Boolean, String, UserName,
// DateTime, Duration, Map, Object), a key of "types" (a carrier, with its
// properties in order as [name, type] pairs), a key of "enums" (members as
// [name, number] pairs; "flags" for a [Flags] enum), or one of these with
// "[]" for an array. A carrier whose fields the catalogue does not list is
// typed Object where it is used. Names match in any ASCII case when looked
// up, so two methods, parameters, properties or members of one enum may not
// differ only in case; type and enum names are exact.
//
// # Wire forms
//
// TypeRef.XMLRoot names the root element of an XML answer as .NET's
// DataContractSerializer does (ChatSessionEntity, ArrayOfChatMessage,
// string, boolean, int). Enum members are written by name; a Flags value
// is written as .NET's Enum.ToString writes it (Enum.AppendFlags) and read
// from names or numbers (Enum.ParseFlags).
//
// Lookups (Catalog.Method, Method.Param, Type.Property, Enum.Value) are
// ASCII case-insensitive and do not allocate: Type.Property runs once per
// key of every answer.
package agent
