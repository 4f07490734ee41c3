package jsonpass

import "golang.org/x/sys/cpu"

// hasAVX2 is whether plainFrom scans with 32-byte vectors (read by the
// assembly), and unselectedRun runs: AVX2, and BMI1 for its ANDN and
// TZCNT.
var hasAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasBMI1

// plainFrom returns where the plain string bytes from src[i] end: bytes
// that are not a quote, a backslash, a control character or not ASCII
// (specialBytes' classes). It reads whole 32-byte blocks, with AVX2: the
// index of the first special byte if it lies in one, else the end of the
// blocks (i without AVX2). Callers go on from there a word at a time.
//
//go:noescape
func plainFrom(src []byte, i int) int

// quotedEnd returns the index after the closing quote of the string whose
// text starts at src[i], when that text is plain and plainFrom finds its
// end; else -1, for scanString to read it.
//
//go:noescape
func quotedEnd(src []byte, i int) int

// unselectedRun is unselected's loop for the members whose value it reads
// whole, with AVX2 (callers check hasAVX2, that node is not nil, and that
// known is for this output, xml or not). Their value is right after the
// remembered member start, any number in it is at
// most MaxHeld bytes, and it is:
//   - for a key not selected: a plain string (no escape or control
//     character; its bytes that are not ASCII in two-byte UTF-8
//     sequences) that ends within whole 32-byte blocks, null, true, false,
//     a number, or an array or object of those nested at most limit (and
//     60) levels deep (written as null);
//   - for a selected key: such a scalar; written as null if it is null or
//     the selection goes deeper, else as it came if it is at most 32 bytes
//     and not a string that the rewriter reads (rewrite: a plain one
//     whose text is shorter than keepBelow or longer than keepAbove bytes
//     it does not) or, in XML, any string (its text is escaped). Such a
//     string, when plain, it leaves to the Go loop with where it ends
//     (valueEnd); but in JSON, with run, while its list has room and
//     the value is at most 64 bytes, it writes it as it came and lists it
//     for settle to rewrite, and goes on.
//
// With cross (the objects of an array: what nextObject checks of the
// frames), at an object's end it goes on into the next element when that
// is an object too, as nextObject does: it writes cross's bytes between
// them and counts that object's members from slot cross.base.
//
// Each known key remembers its member's span last time (from its start to
// the next member's), and after a string or an integer not selected the
// next member's start is taken from that span when it is right, so that
// the next member's loads wait on no load of this one's value; the span
// is set to this member's when it is not.
//
// It returns where it stopped (after a member's comma; or ended, at the
// byte after a member's value and blanks that is not a comma), the
// output's new length (it writes within out's capacity), the slot of the
// member there, if that member is a selected string it read, where its
// value ends (else 0), and the objects it went on into.
//
//go:noescape
func unselectedRun(src []byte, i int, out []byte, known *[knownSlots]knownKey, slot int, node *Node, xml, rewrite bool, limit, keepBelow, keepAbove int, cross *crossing, run *runState) (next, outLen, nextSlot int, ended bool, valueEnd, crossed int)
