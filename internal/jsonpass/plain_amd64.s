#include "go_asm.h"
#include "textflag.h"

// NON_DIGITS sets R13 to the number of decimal digits in the 16 bytes
// at addr before the first that is not one (32: all 16 are), from X8's
// zeros and X9's nines: a byte below '0' (as a signed byte: also one that
// is not ASCII) or above '9' ends them.
#define NON_DIGITS(addr) \
	VMOVDQU   addr, X0 \
	VPCMPGTB  X0, X8, X1 \
	VPCMPGTB  X9, X0, X2 \
	VPOR      X1, X2, X1 \
	VPMOVMSKB X1, R13 \
	TZCNTL    R13, R13

// TEXT_BLOCK reads the 32 bytes at addr, a block of a string's text: R13
// is where its first quote is (32: none), and it goes to special if
// another special byte (a backslash, a control character, a byte that is
// not ASCII) comes before that quote or in a block with none. R10 is
// scratch. The quote's place comes from the quotes alone (compare, mask,
// count): the other special bytes are counted beside it and only decide
// by a branch, off the path from one member to the next.
#define TEXT_BLOCK(addr, special) \
	VMOVDQU  addr, Y0 \
	VPCMPEQB Y0, Y4, Y1 \
	VPCMPEQB Y0, Y5, Y2 \
	VPCMPGTB Y0, Y6, Y3 \
	VPOR     Y2, Y3, Y2 \
	VPMOVMSKB Y1, R13 \
	VPMOVMSKB Y2, R10 \
	TZCNTL   R13, R13 \
	TZCNTL   R10, R10 \
	CMPL     R10, R13 \
	JB       special

// TWO_BYTE_TEXT is TEXT_BLOCK's special way (Y0 the block, Y1 its quotes,
// Y2 its special bytes): it stops unless every special byte up to the
// quote (R13, recounted) is part of a two-byte UTF-8 sequence (a lead byte
// 0xC2-0xDF and a continuation byte 0x80-0xBF after it: U+0080-U+07FF, the
// letters of the European languages), whole before the quote, and a block
// with no quote ends with no lead byte (its sequence would go on into the
// next block, whose first byte is then read as if nothing came before).
// Anything else (a backslash, a control character, a longer or broken
// sequence) is the Go loop's. Y7 and Y10 to Y12 are scratch.
#define TWO_BYTE_TEXT \
	VMOVDQU    continuations<>(SB), Y10 \
	VPCMPGTB   Y0, Y10, Y10 \
	VPCMPGTB   twoByteLeads<>(SB), Y0, Y11 \
	VMOVDQU    longerLeads<>(SB), Y12 \
	VPCMPGTB   Y0, Y12, Y12 \
	VPAND      Y11, Y12, Y11 \
	VPOR       Y10, Y11, Y12 \
	VPANDN     Y2, Y12, Y12 \
	VPERM2I128 $0x08, Y11, Y11, Y7 \
	VPALIGNR   $15, Y7, Y11, Y7 \
	VPXOR      Y7, Y10, Y7 \
	VPOR       Y7, Y12, Y12 \
	VPMOVMSKB  Y12, R10 \
	VPMOVMSKB  Y11, R13 \
	SHRL       $31, R13 \
	SHLQ       $32, R13 \
	ORQ        R13, R10 \
	TZCNTQ     R10, R10 \
	VPMOVMSKB  Y1, R13 \
	TZCNTL     R13, R13 \
	CMPQ       R10, R13 \
	JBE        stop

// PLAIN_STRING reads the string at R8 (its opening quote) when its text is
// plain (no backslash or control character before the closing quote, and
// its bytes that are not ASCII in two-byte UTF-8 sequences: TWO_BYTE_TEXT)
// and ends within whole 32-byte blocks (the last block's start at most
// valueEnd's word: unselectedRun keeps the input's length less 32 there
// until it ends), and sets R8 after its closing quote; else it stops.
// block, found, special and back are labels of its own; R10 is scratch.
#define PLAIN_STRING(block, found, special, back) \
block: \
	CMPQ R8, valueEnd+160(FP) \
	JGE  stop \
	TEXT_BLOCK(1(SI)(R8*1), special) \
back: \
	CMPL     R13, $32 \
	JB       found \
	ADDQ     $32, R8 \
	JMP      block \
special: \
	TWO_BYTE_TEXT \
	JMP      back \
found: \
	LEAQ 2(R8)(R13*1), R8

// R12's bits for a member of a selected key, above a container's levels
// (bits 1 to 60)
#define selCopy 62     // its value is written as it came
#define selNoString 63 // unless it is a string (the rewriter's, or XML text)

// MEMBER_START checks that the member's start is its n bytes as
// remembered (mask: a bit for each) and sets R8 after them, at the value,
// within src (member checked that 33 bytes are).
#define MEMBER_START \
	VMOVDQU   (SI)(AX*1), Y0 \
	VPCMPEQB  knownKey_words(R9), Y0, Y0 \
	VPMOVMSKB Y0, R8 \
	ANDNL     knownKey_mask(R9), R8, R8 \
	JNZ       stop \
	MOVBQZX   knownKey_n(R9), R8 \
	ADDQ      AX, R8

// GUESS_NEXT sets R10 to the next member's start DX, made from AX and
// the member's span last time when that was right (else the span is set
// to this one's): the next member's loads then wait on no load of this
// one's value. guessed is a label of its own.
#define GUESS_NEXT(guessed) \
	MOVWQZX knownKey_span(R9), R10 \
	ADDQ    AX, R10 \
	CMPQ    R10, DX \
	JEQ     guessed \
	MOVQ    DX, R10 \
	SUBQ    AX, R10 \
	MOVW    R10, knownKey_span(R9) \
	MOVQ    DX, R10 \
guessed:

// SLOT_AT sets R9 to the known key of slot R11.
#define SLOT_AT \
	MOVQ  R11, R9 \
	ANDQ  $(const_knownSlots-1), R9 \
	IMULQ $knownKey__size, R9 \
	ADDQ  known+56(FP), R9

// NEXT_SLOT steps R11 to the next slot and R9 to its known key, from the
// last back to the first. same is a label of its own.
#define NEXT_SLOT(same) \
	INCQ  R11 \
	ADDQ  $knownKey__size, R9 \
	TESTQ $(const_knownSlots-1), R11 \
	JNZ   same \
	MOVQ  known+56(FP), R9 \
same:

// NULL_MEMBER writes the null member (Y0 and X1: its six words, a comma
// after them in JSON) and steps R9 and R11 to the next slot, BX past it.
// same is a label of its own.
#define NULL_MEMBER(same) \
	VMOVDQU Y0, (DI)(BX*1) \
	VMOVDQU X1, 32(DI)(BX*1) \
	MOVBQZX knownKey_advance(R9), R12 \
	NEXT_SLOT(same) \
	ADDQ R12, BX

// LITERAL4 steps R8 over the four bytes w (little-endian: "null" is
// 0x6c6c756e, "true" 0x65757274) at R8, or stops.
#define LITERAL4(w) \
	LEAQ 4(R8), R13 \
	CMPQ R13, CX \
	JGT  stop \
	CMPL (SI)(R8*1), $w \
	JNE  stop \
	MOVQ R13, R8

// NEXT steps R8 to the next byte, or to end when src has none.
#define NEXT(end) \
	INCQ R8 \
	CMPQ R8, CX \
	JGE  end

// NEXT_DIGIT steps R8 to the next byte, which must be in src (else stop),
// and jumps to notDigit unless it is a decimal digit.
#define NEXT_DIGIT(notDigit) \
	NEXT(stop) \
	MOVBLZX (SI)(R8*1), R13 \
	SUBL $0x30, R13 \
	CMPL R13, $9 \
	JA   notDigit

// COPY_XML writes <name>value</name> for the value from R12 to R8, at
// most 32 bytes, the name n bytes (the key and colon n+3; null from its
// second byte), and sets R12 to the bytes written (2n+5 and the value's).
#define COPY_XML \
	VMOVDQU knownKey_null(R9), Y0 \
	VMOVDQU Y0, (DI)(BX*1) \
	MOVBQZX knownKey_keyLen(R9), R13 \
	ADDQ BX, R13 \
	MOVB $0x3e, -2(DI)(R13*1) \
	VMOVDQU (SI)(R12*1), Y0 \
	VMOVDQU Y0, -1(DI)(R13*1) \
	SUBQ R12, R13 \
	ADDQ R8, R13 \
	MOVW $0x2f3c, -1(DI)(R13*1) \
	VMOVDQU knownKey_null+1(R9), Y0 \
	VMOVDQU Y0, 1(DI)(R13*1) \
	MOVBQZX knownKey_keyLen(R9), R12 \
	ADDQ R12, R13 \
	MOVB $0x3e, -2(DI)(R13*1) \
	LEAQ -1(R13), R12 \
	SUBQ BX, R12

// BLANK steps the cursor c over the byte in R13 and back to the loop l
// when it is a blank (space, tab, line feed, carriage return); any other
// byte goes to other (stop where it is at most 0x20: a control character,
// invalid there). skip is a label of its own.
#define BLANK(l, skip, c, other) \
	CMPB R13, $0x20 \
	JEQ  skip \
	CMPB R13, $0x0a \
	JEQ  skip \
	CMPB R13, $0x0d \
	JEQ  skip \
	CMPB R13, $0x09 \
	JNE  other \
skip: \
	INCQ c \
	JMP  l

// BLANKS is the loop l that steps R8 over blanks to found, at the first
// byte above 0x20 (in R13), or stops (src ends, or a control character).
// skip is a label of its own.
#define BLANKS(l, skip, found) \
l: \
	CMPQ R8, CX \
	JGE  stop \
	MOVBLZX (SI)(R8*1), R13 \
	CMPB R13, $0x20 \
	JA   found \
	BLANK(l, skip, R8, stop)

// SEEK_BYTE is the loop l that steps DX over blanks to found, at the
// byte b, or goes to endedHere at any other byte or src's end. skip is a
// label of its own.
#define SEEK_BYTE(l, skip, b, found) \
l: \
	CMPQ DX, CX \
	JGE  endedHere \
	MOVBLZX (SI)(DX*1), R13 \
	CMPB R13, b \
	JEQ  found \
	BLANK(l, skip, DX, endedHere)

DATA quotes<>+0(SB)/8, $0x2222222222222222
DATA quotes<>+8(SB)/8, $0x2222222222222222
DATA quotes<>+16(SB)/8, $0x2222222222222222
DATA quotes<>+24(SB)/8, $0x2222222222222222
GLOBL quotes<>(SB), RODATA|NOPTR, $32

DATA backslashes<>+0(SB)/8, $0x5c5c5c5c5c5c5c5c
DATA backslashes<>+8(SB)/8, $0x5c5c5c5c5c5c5c5c
DATA backslashes<>+16(SB)/8, $0x5c5c5c5c5c5c5c5c
DATA backslashes<>+24(SB)/8, $0x5c5c5c5c5c5c5c5c
GLOBL backslashes<>(SB), RODATA|NOPTR, $32

// continuations, twoByteLeads and longerLeads: UTF-8's continuation bytes
// are below 0xC0 as signed bytes (and not ASCII), its two-byte lead bytes
// above 0xC1 and below 0xE0 (TWO_BYTE_TEXT)
DATA continuations<>+0(SB)/8, $0xc0c0c0c0c0c0c0c0
DATA continuations<>+8(SB)/8, $0xc0c0c0c0c0c0c0c0
DATA continuations<>+16(SB)/8, $0xc0c0c0c0c0c0c0c0
DATA continuations<>+24(SB)/8, $0xc0c0c0c0c0c0c0c0
GLOBL continuations<>(SB), RODATA|NOPTR, $32

DATA twoByteLeads<>+0(SB)/8, $0xc1c1c1c1c1c1c1c1
DATA twoByteLeads<>+8(SB)/8, $0xc1c1c1c1c1c1c1c1
DATA twoByteLeads<>+16(SB)/8, $0xc1c1c1c1c1c1c1c1
DATA twoByteLeads<>+24(SB)/8, $0xc1c1c1c1c1c1c1c1
GLOBL twoByteLeads<>(SB), RODATA|NOPTR, $32

DATA longerLeads<>+0(SB)/8, $0xe0e0e0e0e0e0e0e0
DATA longerLeads<>+8(SB)/8, $0xe0e0e0e0e0e0e0e0
DATA longerLeads<>+16(SB)/8, $0xe0e0e0e0e0e0e0e0
DATA longerLeads<>+24(SB)/8, $0xe0e0e0e0e0e0e0e0
GLOBL longerLeads<>(SB), RODATA|NOPTR, $32

// zeros and nines: the first and last digits
DATA zeros<>+0(SB)/8, $0x3030303030303030
DATA zeros<>+8(SB)/8, $0x3030303030303030
GLOBL zeros<>(SB), RODATA|NOPTR, $16

DATA nines<>+0(SB)/8, $0x3939393939393939
DATA nines<>+8(SB)/8, $0x3939393939393939
GLOBL nines<>(SB), RODATA|NOPTR, $16

DATA spaces<>+0(SB)/8, $0x2020202020202020
DATA spaces<>+8(SB)/8, $0x2020202020202020
DATA spaces<>+16(SB)/8, $0x2020202020202020
DATA spaces<>+24(SB)/8, $0x2020202020202020
GLOBL spaces<>(SB), RODATA|NOPTR, $32

// markup is '<', '>' and '&' in three 32-byte rows: what XML text must
// escape; lowBits[n] is a mask of the n low bits.
DATA markup<>+0(SB)/8, $0x3c3c3c3c3c3c3c3c
DATA markup<>+8(SB)/8, $0x3c3c3c3c3c3c3c3c
DATA markup<>+16(SB)/8, $0x3c3c3c3c3c3c3c3c
DATA markup<>+24(SB)/8, $0x3c3c3c3c3c3c3c3c
DATA markup<>+32(SB)/8, $0x3e3e3e3e3e3e3e3e
DATA markup<>+40(SB)/8, $0x3e3e3e3e3e3e3e3e
DATA markup<>+48(SB)/8, $0x3e3e3e3e3e3e3e3e
DATA markup<>+56(SB)/8, $0x3e3e3e3e3e3e3e3e
DATA markup<>+64(SB)/8, $0x2626262626262626
DATA markup<>+72(SB)/8, $0x2626262626262626
DATA markup<>+80(SB)/8, $0x2626262626262626
DATA markup<>+88(SB)/8, $0x2626262626262626
GLOBL markup<>(SB), RODATA|NOPTR, $96
DATA lowBits<>+0(SB)/4, $0x0
DATA lowBits<>+4(SB)/4, $0x1
DATA lowBits<>+8(SB)/4, $0x3
DATA lowBits<>+12(SB)/4, $0x7
DATA lowBits<>+16(SB)/4, $0xf
DATA lowBits<>+20(SB)/4, $0x1f
DATA lowBits<>+24(SB)/4, $0x3f
DATA lowBits<>+28(SB)/4, $0x7f
DATA lowBits<>+32(SB)/4, $0xff
DATA lowBits<>+36(SB)/4, $0x1ff
DATA lowBits<>+40(SB)/4, $0x3ff
DATA lowBits<>+44(SB)/4, $0x7ff
DATA lowBits<>+48(SB)/4, $0xfff
DATA lowBits<>+52(SB)/4, $0x1fff
DATA lowBits<>+56(SB)/4, $0x3fff
DATA lowBits<>+60(SB)/4, $0x7fff
DATA lowBits<>+64(SB)/4, $0xffff
DATA lowBits<>+68(SB)/4, $0x1ffff
DATA lowBits<>+72(SB)/4, $0x3ffff
DATA lowBits<>+76(SB)/4, $0x7ffff
DATA lowBits<>+80(SB)/4, $0xfffff
DATA lowBits<>+84(SB)/4, $0x1fffff
DATA lowBits<>+88(SB)/4, $0x3fffff
DATA lowBits<>+92(SB)/4, $0x7fffff
DATA lowBits<>+96(SB)/4, $0xffffff
DATA lowBits<>+100(SB)/4, $0x1ffffff
DATA lowBits<>+104(SB)/4, $0x3ffffff
DATA lowBits<>+108(SB)/4, $0x7ffffff
DATA lowBits<>+112(SB)/4, $0xfffffff
DATA lowBits<>+116(SB)/4, $0x1fffffff
DATA lowBits<>+120(SB)/4, $0x3fffffff
DATA lowBits<>+124(SB)/4, $0x7fffffff
GLOBL lowBits<>(SB), RODATA|NOPTR, $128

// PLAIN_FROM sets AX to where the plain string bytes from AX end in the
// CX bytes at SI, reading whole 32-byte blocks, or jumps to done without
// AVX2 or a whole block. Per block: a byte is special when it equals '"'
// or '\\', or when, read as a signed byte, it is below 0x20 (a control
// character, or 0x80-0xFF: not ASCII).
#define PLAIN_FROM \
	CMPB ·hasAVX2(SB), $0 \
	JEQ  done \
	MOVQ CX, R8 \
	SUBQ $32, R8 \
	CMPQ AX, R8 \
	JGT  done \
	VMOVDQU quotes<>(SB), Y4 \
	VMOVDQU backslashes<>(SB), Y5 \
	VMOVDQU spaces<>(SB), Y6 \
loop: \
	VMOVDQU  (SI)(AX*1), Y0 \
	VPCMPEQB Y0, Y4, Y1 \
	VPCMPEQB Y0, Y5, Y2 \
	VPCMPGTB Y0, Y6, Y3 \
	VPOR     Y1, Y2, Y1 \
	VPOR     Y1, Y3, Y1 \
	VPMOVMSKB Y1, DX \
	TESTL    DX, DX \
	JNZ      found \
	ADDQ     $32, AX \
	CMPQ     AX, R8 \
	JLE      loop \
	VZEROUPPER \
	JMP      done \
found: \
	BSFL DX, DX \
	ADDQ DX, AX \
	VZEROUPPER

// func plainFrom(src []byte, i int) int
TEXT ·plainFrom(SB), NOSPLIT, $0-40
	MOVQ src_base+0(FP), SI
	MOVQ src_len+8(FP), CX
	MOVQ i+24(FP), AX
	PLAIN_FROM

done:
	MOVQ AX, ret+32(FP)
	RET

// func quotedEnd(src []byte, i int) int
TEXT ·quotedEnd(SB), NOSPLIT, $0-40
	MOVQ src_base+0(FP), SI
	MOVQ src_len+8(FP), CX
	MOVQ i+24(FP), AX
	PLAIN_FROM

done:
	CMPQ AX, CX
	JAE  none
	CMPB (SI)(AX*1), $0x22
	JNE  none
	INCQ AX
	MOVQ AX, ret+32(FP)
	RET

none:
	MOVQ $-1, ret+32(FP)
	RET

// func unselectedRun(src []byte, i int, out []byte, known *[knownSlots]knownKey, slot int, node *Node, xml, rewrite bool, limit, keepBelow, keepAbove int, cross *crossing, run *runState) (next, outLen, nextSlot int, ended bool, valueEnd, crossed int)
//
// The members of unselected's loop whose value it reads here whole, and
// those of selected keys with a scalar value, with no spill to memory
// (known is read from its argument when the slots wrap round): R9
// is the known key at slot, R8 the cursor in the value, DX the depth in it
// and R12 its levels that are arrays (bit d: level d), and what a selected
// key's value may be (sel*), R10 and R13 scratch. A member taken is valid (any
// number in it at most MaxHeld bytes: the member is no shorter), and ends
// with its comma or, ended, at the byte after its blanks that is not a
// comma.
TEXT ·unselectedRun(SB), NOSPLIT, $0-176
	MOVQ src_base+0(FP), SI
	MOVQ src_len+8(FP), CX
	MOVQ i+24(FP), AX
	MOVQ out_base+32(FP), DI
	MOVQ out_len+40(FP), BX
	MOVQ slot+64(FP), R11
	SLOT_AT
	MOVQ node+72(FP), R14
	VMOVDQU quotes<>(SB), Y4
	VMOVDQU backslashes<>(SB), Y5
	VMOVDQU spaces<>(SB), Y6
	VMOVDQU zeros<>(SB), X8
	VMOVDQU nines<>(SB), X9
	MOVQ $0, crossed+168(FP)
	// nextSlot's word holds, until the end, the output length past which
	// a member has not the room any member needs (unselectedRoom: copyXML's
	// three 32-byte parts after the name's n+2, n at most 29)
	MOVQ out_cap+48(FP), R13
	SUBQ $const_unselectedRoom, R13
	MOVQ R13, nextSlot+144(FP)
	// and next's, until the end, the last member start with 33 bytes of
	// src from it
	LEAQ -33(CX), R13
	MOVQ R13, next+128(FP)
	// and valueEnd's, until the end, the last start of a 32-byte block
	// of src (PLAIN_STRING)
	LEAQ -32(CX), R13
	MOVQ R13, valueEnd+160(FP)

member:
	// 32 bytes of src to compare and one more, and room for the member
	CMPQ AX, next+128(FP)
	JGT  stop
	CMPQ BX, nextSlot+144(FP)
	JGT  stop
	// R9: the known key at slot, of node (R14), for this output
	CMPQ  knownKey_unselectedIn(R9), R14
	JNE   selected
	MEMBER_START
	// the commonest values of a key not selected, straight to the null
	// member; the others the general way
	MOVBLZX (SI)(R8*1), R13
	CMPB R13, $0x22
	JEQ  str0
	CMPB R13, $0x6e
	JEQ  null0
	SUBL $0x31, R13
	CMPL R13, $8
	JBE  int0
general:
	XORL R12, R12
	XORL DX, DX // depth 0
	// a container, byte for byte the last one skipped under this key in
	// this run: valid (at most 60 levels deep), and as long; else read as
	// any value
	MOVBLZX (SI)(R8*1), R13
	CMPB  R13, $0x7b
	JEQ   container
	CMPB  R13, $0x5b
	JNE   value
container:
	MOVQ  run+120(FP), R10
	TESTQ R10, R10
	JZ    value
	// within the assembly's own 60 levels (a known key's slot is shared by
	// objects at other depths: one remembered nearer MaxNesting may sit
	// deeper now)
	CMPQ  limit+88(FP), $60
	JLT   value
	MOVL  runState_number(R10), R13
	CMPL  R13, knownKey_seenRun(R9)
	JNE   value
	MOVWQZX knownKey_seenLen(R9), R13
	MOVLQZX knownKey_seenAt(R9), R10
	LEAQ  (R8)(R13*1), DX // its end, within src
	CMPQ  DX, CX
	JGT   seenNot
	MOVQ  R8, DX
	CMPQ  R13, $32
	JB    seenShort
seenBlocks: // R13 bytes, at least 32, from DX and R10 to compare
	VMOVDQU   (SI)(DX*1), Y2
	VPCMPEQB  (SI)(R10*1), Y2, Y2
	VPMOVMSKB Y2, R12
	CMPL      R12, $0xffffffff
	JNE       seenNot
	ADDQ      $32, DX
	ADDQ      $32, R10
	SUBQ      $32, R13
	CMPQ      R13, $32
	JAE       seenBlocks
	TESTQ     R13, R13
	JZ        seenSame
	// the last R13 bytes: the 32 that end with them
	LEAQ      -32(DX)(R13*1), DX
	LEAQ      -32(R10)(R13*1), R10
	VMOVDQU   (SI)(DX*1), Y2
	VPCMPEQB  (SI)(R10*1), Y2, Y2
	VPMOVMSKB Y2, R12
	CMPL      R12, $0xffffffff
	JNE       seenNot
	JMP       seenSame
seenShort: // fewer than 32: the 32 bytes from R8, of which R13 count
	LEAQ      32(R8), DX
	CMPQ      DX, CX
	JGT       seenNot
	VMOVDQU   (SI)(R8*1), Y2
	VPCMPEQB  (SI)(R10*1), Y2, Y2
	VPMOVMSKB Y2, R12
	NOTL      R12
	LEAQ      lowBits<>(SB), DX
	ANDL      (DX)(R13*4), R12
	JNZ       seenNot
seenSame:
	MOVWQZX knownKey_seenLen(R9), R13
	ADDQ    R13, R8
	XORL    R12, R12
	JMP     nullMember
seenNot:
	XORL R12, R12
	XORL DX, DX
	JMP  value

str0: // a plain string that ends in whole 32-byte blocks, read as
	// PLAIN_STRING reads it, the next member's start made beside its
	// blocks so that the path from one member to the next is a block's
	// load (from R12+AX, R12 made from the known key alone), its quotes'
	// compare, mask and count, and one add: DX is that start if the
	// closing quote were the block's first byte and a comma followed it
	MOVBQZX knownKey_n(R9), R12
	LEAQ 1(SI)(R12*1), R12
	LEAQ 3(R8), DX
str0block:
	CMPQ R8, valueEnd+160(FP)
	JGE  stop
	TEXT_BLOCK((R12)(AX*1), str0special)
str0back:
	CMPL R13, $32
	JB   str0found
	ADDQ $32, R8
	ADDQ $32, R12
	ADDQ $32, DX
	JMP  str0block
str0special:
	TWO_BYTE_TEXT
	JMP  str0back
str0found: // the value ends before DX's byte; the null member's way on
	ADDQ R13, DX
	LEAQ -1(DX), R8
	CMPQ R8, CX
	JGE  stop
	MOVBLZX (SI)(R8*1), R13
	VMOVDQU knownKey_null(R9), Y0
	VMOVDQU knownKey_null+32(R9), X1
	CMPB R13, $0x2c
	JNE  nullNoComma
	GUESS_NEXT(str0Guessed)
	NULL_MEMBER(str0Slot)
	MOVQ R10, AX
	JMP  member

int0: // an integer of 1 to 16 digits and a comma, read as str0 reads a
	// string: DX the next member's start if the first digit were the
	// last; else the general way
	LEAQ 17(R8), R13
	CMPQ R13, CX
	JGT  general
	MOVBQZX knownKey_n(R9), R12
	LEAQ 1(SI)(R12*1), R12
	LEAQ 2(R8), DX
	NON_DIGITS((R12)(AX*1)) // the digits after the first
	CMPL      R13, $16
	JAE       general
	ADDQ      R13, DX
	CMPB      -1(SI)(DX*1), $0x2c
	JNE       general
	VMOVDQU knownKey_null(R9), Y0
	VMOVDQU knownKey_null+32(R9), X1
	GUESS_NEXT(int0Guessed)
	NULL_MEMBER(int0Slot)
	MOVQ R10, AX
	JMP  member

nullMember: // R8: the value's end; then blanks, and a comma or not
	CMPQ R8, CX
	JGE  stop
	MOVBLZX (SI)(R8*1), R13
	// the null member, as six words (in JSON a comma after them), written
	// on each way out: the common one, a comma, tests one byte (written
	// once after the tests, it took two more instructions a member)
	VMOVDQU knownKey_null(R9), Y0
	VMOVDQU knownKey_null+32(R9), X1
	CMPB R13, $0x2c
	JNE  nullNoComma
	NULL_MEMBER(nullSlot)
	LEAQ 1(R8), AX
	JMP  member
nullNoComma:
	CMPB R13, $0x20
	JBE  nullBlank
	VMOVDQU Y0, (DI)(BX*1)
	VMOVDQU X1, 32(DI)(BX*1)
	MOVBQZX knownKey_nullLen(R9), R12
	ADDQ R12, BX
	INCQ R11 // R9 follows it only on into the next object (ended)
	JMP  ended
nullBlank:
	BLANK(nullMember, nullBlankSkip, R8, stop)

null0:
	LITERAL4(0x6c6c756e)
	JMP  nullMember

value: // R8 at a value, within src: a digit, quote or minus is at most '9'
	MOVBLZX (SI)(R8*1), R13
	CMPB R13, $0x39
	JA   letters
	CMPB R13, $0x30
	JAE  number
	CMPB R13, $0x22
	JEQ  str
	CMPB R13, $0x2d
	JEQ  minus
	JMP  stop
letters:
	CMPB R13, $0x6e
	JEQ  lnull
	CMPB R13, $0x7b
	JEQ  open
	CMPB R13, $0x5b
	JEQ  open
	CMPB R13, $0x74
	JEQ  ltrue
	CMPB R13, $0x66
	JEQ  lfalse
	JMP  stop

selected: // a selected key of node: R12 says what its value may be
	CMPQ knownKey_node(R9), R14
	JNE  stop
	MOVQ knownKey_child(R9), R13
	TESTQ R13, R13
	JZ   stop
	XORL R12, R12
	CMPB Node_Whole(R13), $0
	JEQ  scalar
	BTSQ $selCopy, R12
	CMPB xml+80(FP), $0 // XML text is escaped by the Go loop
	JNE  noString
	CMPB rewrite+81(FP), $0
	JEQ  scalar
noString:
	BTSQ $selNoString, R12
scalar: // a scalar; null is the null member
	MEMBER_START
	XORL DX, DX // depth 0
	MOVBLZX (SI)(R8*1), R13
	CMPB R13, $0x7b
	JEQ  stop
	CMPB R13, $0x5b
	JEQ  stop
	CMPB R13, $0x6e
	JNE  notNull
	BTRQ $selCopy, R12
notNull:
	CMPB R13, $0x22
	JNE  value
	BTQ  $selNoString, R12
	JCC  value
	// a string the Go loop writes (rewritten, or as XML text): where it
	// ends, the member not taken; in JSON, one of a length the rewriter
	// never rewrites is copied
	PLAIN_STRING(pendingblock, pendingfound, pendingspecial, pendingback)
	MOVBQZX knownKey_n(R9), R13
	NEGQ R13
	ADDQ R8, R13
	SUBQ AX, R13
	SUBQ $2, R13 // the text's length
	CMPB rewrite+81(FP), $0
	JEQ  kept
	CMPQ R13, keepBelow+96(FP)
	JLT  kept
	CMPQ R13, keepAbove+104(FP)
	JLE  pending
kept: // not the rewriter's: JSON copies it, XML writes it as text if no byte needs escaping
	CMPB xml+80(FP), $0
	JEQ  after
	CMPQ R13, $30
	JGT  pending
	MOVQ R8, R12
	SUBQ R13, R12
	DECQ R12 // the text's start
	LEAQ 32(R12), DX
	CMPQ DX, CX
	JGT  pending
	VMOVDQU  (SI)(R12*1), Y0
	VPCMPEQB markup<>+0(SB), Y0, Y1
	VPCMPEQB markup<>+32(SB), Y0, Y2
	VPCMPEQB markup<>+64(SB), Y0, Y3
	VPOR     Y1, Y2, Y1
	VPOR     Y1, Y3, Y1
	VPMOVMSKB Y1, DX
	MOVQ     R8, R13
	SUBQ     R12, R13
	DECQ     R13
	LEAQ     lowBits<>(SB), R12
	ANDL     (R12)(R13*4), DX
	JNZ      markupFound
	MOVQ     R8, R12
	SUBQ     R13, R12
	DECQ     R12 // the text's start again
	DECQ     R8  // its end, for COPY_XML
	COPY_XML
	INCQ     R8
	JMP      memberEnd
markupFound:
	XORL DX, DX
pending: // a string the Go loop writes: in JSON, while run's list has room, the
	// value is at most 64 bytes with 64 of src from its start, and a comma
	// or the object's end follows it (the member is then taken), it is
	// written as it came and listed for settle; else where it ends, the
	// member not taken
	CMPB  xml+80(FP), $0
	JNE   pendingStop
	MOVQ  run+120(FP), R10
	TESTQ R10, R10
	JZ    pendingStop
	CMPQ  R13, $62
	JGT   pendingStop
	MOVQ  R8, R12
	SUBQ  R13, R12
	SUBQ  $2, R12 // the value's start, at its quote
	LEAQ  64(R12), DX
	CMPQ  DX, CX
	JGT   pendingStop
	CMPQ  R8, CX
	JGE   pendingStop
	MOVBLZX (SI)(R8*1), DX
	CMPB  DX, $0x2c
	JEQ   listed
	CMPB  DX, $0x7d
	JNE   pendingStop
listed:
	MOVQ  runState_n(R10), DX
	CMPQ  DX, $const_deferCap
	JGE   pendingStop
	INCQ  runState_n(R10)
	IMULQ $deferred__size, DX
	LEAQ  runState_list(R10)(DX*1), R10 // its entry
	MOVQ  R12, deferred_value(R10)
	MOVQ  R8, deferred_end(R10)
	MOVBQZX knownKey_blanks(R9), DX
	LEAQ  1(AX)(DX*1), DX // the key's text, after the blanks and quote
	MOVQ  DX, deferred_keyStart(R10)
	MOVBQZX knownKey_keyLen(R9), R13
	LEAQ  -3(DX)(R13*1), DX
	MOVQ  DX, deferred_keyEnd(R10)
	// the key and colon as remembered (null's first bytes), the value
	VMOVDQU knownKey_null(R9), Y0
	VMOVDQU Y0, (DI)(BX*1)
	ADDQ  BX, R13 // the value's place in out
	MOVQ  R13, deferred_at(R10)
	VMOVDQU (SI)(R12*1), Y0
	VMOVDQU 32(SI)(R12*1), Y1
	VMOVDQU Y0, (DI)(R13*1)
	VMOVDQU Y1, 32(DI)(R13*1)
	SUBQ  BX, R13 // the key and colon's length
	SUBQ  R8, R12
	SUBQ  R12, R13
	MOVQ  R13, R12 // the bytes written: the key and colon's and the value's
	JMP   memberEnd
pendingStop:
	MOVQ R8, valueEnd+160(FP)
	JMP  left

str: // a plain string that ends in whole 32-byte blocks
	PLAIN_STRING(strblock, strfound, strspecial, strback)
	JMP  after

lnull:
	LITERAL4(0x6c6c756e)
	JMP  after

ltrue:
	LITERAL4(0x65757274)
	JMP  after

lfalse:
	LEAQ 5(R8), R13
	CMPQ R13, CX
	JGT  stop
	CMPL (SI)(R8*1), $0x736c6166 // "fals"
	JNE  stop
	CMPB 4(SI)(R8*1), $0x65 // "e"
	JNE  stop
	MOVQ R13, R8
	JMP  after

minus:
	NEXT_DIGIT(stop)
number: // R8 at the first digit of a number (RFC 8259), that a byte in src ends
	CMPB (SI)(R8*1), $0x30
	JEQ  zero
intdigits: // R8 at a digit: the digits after it, 16 at a time while src has them
	LEAQ 17(R8), R13
	CMPQ R13, CX
	JGT  intbytes
	NON_DIGITS(1(SI)(R8*1)) // the digits after R8
	CMPL      R13, $16
	JAE       intdigits16
	LEAQ      1(R8)(R13*1), R8 // within src: 17 bytes were
	JMP       fraction
intdigits16:
	ADDQ $16, R8
	JMP  intdigits
intbytes:
	NEXT_DIGIT(fraction)
	JMP  intbytes
zero:
	NEXT(stop)
fraction:
	CMPB (SI)(R8*1), $0x2e
	JNE  exponent
	NEXT_DIGIT(stop)
fracdigits:
	NEXT_DIGIT(exponent)
	JMP  fracdigits
exponent:
	MOVBLZX (SI)(R8*1), R13
	ORL  $0x20, R13
	CMPB R13, $0x65
	JNE  numberEnd
	NEXT(stop)
	MOVBLZX (SI)(R8*1), R13
	CMPB R13, $0x2b
	JEQ  sign
	CMPB R13, $0x2d
	JNE  expfirst
sign:
	NEXT(stop)
expfirst:
	MOVBLZX (SI)(R8*1), R13
	SUBL $0x30, R13
	CMPL R13, $9
	JA   stop
expdigits:
	NEXT_DIGIT(numberEnd)
	JMP  expdigits
numberEnd: // a number, at most MaxHeld bytes (the member is longer)
	MOVQ R8, R13
	SUBQ AX, R13
	CMPQ R13, $const_MaxHeld
	JGT  stop
	JMP  after

open: // R8 at '{' or '[': a level more, at most limit and 60
	CMPQ DX, $60
	JGE  stop
	CMPQ DX, limit+88(FP)
	JGE  stop
	INCQ DX
	BTRQ DX, R12
	CMPB (SI)(R8*1), $0x5b
	JNE  opened
	BTSQ DX, R12
opened:
	INCQ R8
	BLANKS(blanks1, blanks1skip, first)
first: // an empty container closes; else its first member or element
	CMPB R13, $0x5d
	JEQ  bracket
	CMPB R13, $0x7d
	JEQ  brace
	BTQ  DX, R12
	JCS  value
	JMP  key

key: // R8 at a member's key in an object: a plain string, blanks, a colon, blanks
	CMPB (SI)(R8*1), $0x22
	JNE  stop
	PLAIN_STRING(keyblock, keyfound, keyspecial, keyback)
	BLANKS(blanks2, blanks2skip, colon)
colon:
	CMPB R13, $0x3a
	JNE  stop
	INCQ R8
	BLANKS(blanks3, blanks3skip, value)

after: // R8 after a value: the member's end at depth 0, else what follows
	TESTQ DX, DX
	JZ    valueEnd
	BLANKS(blanks4, blanks4skip, follows)
follows:
	CMPB R13, $0x2c
	JEQ  comma
	CMPB R13, $0x5d
	JEQ  bracket
	CMPB R13, $0x7d
	JEQ  brace
	JMP  stop
bracket: // ']' closes an array
	BTQ  DX, R12
	JCC  stop
	JMP  closed
brace: // '}' closes an object
	BTQ  DX, R12
	JCS  stop
closed:
	INCQ R8
	DECQ DX
	JMP  after
comma:
	INCQ R8
	BLANKS(blanks5, blanks5skip, element)
element:
	BTQ  DX, R12
	JCS  value
	JMP  key

valueEnd: // R8: the value's end
	BTQ  $selCopy, R12
	JCS  copyValue
	// a container skipped: remembered for the next one under this key in
	// this run (seenShort's lowBits count to 31; seenAt and seenLen hold
	// at most 32 and 16 bits)
	MOVBQZX knownKey_n(R9), R13
	ADDQ    AX, R13 // the value's start
	MOVBLZX (SI)(R13*1), R10
	CMPB    R10, $0x7b
	JEQ     remember
	CMPB    R10, $0x5b
	JNE     nullMember
remember:
	MOVQ  run+120(FP), R10
	TESTQ R10, R10
	JZ    nullMember
	MOVL  $0xffffffff, DX
	CMPQ  R13, DX
	JA    nullMember
	MOVQ  R8, DX
	SUBQ  R13, DX
	CMPQ  DX, $0xffff
	JA    nullMember
	MOVL  R13, knownKey_seenAt(R9)
	MOVW  DX, knownKey_seenLen(R9)
	MOVL  runState_number(R10), R13
	MOVL  R13, knownKey_seenRun(R9)
	JMP   nullMember

copyValue: // the value as it came, at most 32 bytes
	MOVBQZX knownKey_n(R9), R12
	ADDQ AX, R12 // the value's start
	MOVQ R8, R13
	SUBQ R12, R13
	CMPQ R13, $32
	JGT  stop
	LEAQ 32(R12), R13
	CMPQ R13, CX
	JGT  stop
	CMPB xml+80(FP), $0
	JNE  copyXML
	// JSON: the key and colon as remembered (null's first bytes), the value
	VMOVDQU knownKey_null(R9), Y0
	VMOVDQU Y0, (DI)(BX*1)
	MOVBQZX knownKey_keyLen(R9), R13
	ADDQ BX, R13
	VMOVDQU (SI)(R12*1), Y0
	VMOVDQU Y0, (DI)(R13*1)
	SUBQ R12, R13
	ADDQ R8, R13
	SUBQ BX, R13
	MOVQ R13, R12 // the bytes written
	JMP  memberEnd
copyXML: // <name>value</name>
	COPY_XML
	// memberEnd: R12 bytes written at BX for the member; then blanks, and
	// a comma or not
	BLANKS(memberEnd, blanks6skip, taken)
taken:
	ADDQ R12, BX
	CMPB R13, $0x2c
	JNE  takenEnded
	MOVB $0x2c, (DI)(BX*1) // past the output in XML
	MOVBQZX knownKey_commaLen(R9), R12
	ADDQ R12, BX
	LEAQ 1(R8), AX
	NEXT_SLOT(takenSlot)
	JMP  member
takenEnded:
	INCQ R11 // R9 follows it only on into the next object (ended)

ended: // no comma (R13: the byte at R8; R11 the next slot, R9 not its
	// key): the token machine reads what follows, unless it is the
	// object's end and (cross: the objects of an array) the next element
	// is an object too: on into it, its members from slot cross.base, as
	// nextObject would go
	CMPB  R13, $0x7d
	JNE   endedHere
	MOVQ  cross+112(FP), R12
	TESTQ R12, R12
	JZ    endedHere
	LEAQ  64(BX), R13 // room for what goes between the objects
	CMPQ  R13, out_cap+48(FP)
	JGT   endedHere
	LEAQ  1(R8), DX // set again before a value reads it
	SEEK_BYTE(crossComma, crossCommaSkip, $0x2c, crossCommaFound)
crossCommaFound:
	INCQ DX
	SEEK_BYTE(crossBrace, crossBraceSkip, $0x7b, crossBraceFound)
crossBraceFound:
	VMOVDQU crossing_between(R12), Y0
	VMOVDQU Y0, (DI)(BX*1)
	VMOVDQU crossing_between+32(R12), Y0
	VMOVDQU Y0, 32(DI)(BX*1)
	ADDQ crossing_n(R12), BX
	LEAQ 1(DX), AX
	MOVQ crossing_base(R12), R11
	SLOT_AT
	INCQ crossed+168(FP)
	JMP  member
endedHere:
	MOVQ R8, AX
	MOVQ $0, valueEnd+160(FP)
	MOVB $1, ended+152(FP)
	JMP  done

stop:
	MOVQ $0, valueEnd+160(FP)
left:
	MOVB $0, ended+152(FP)
done:
	VZEROUPPER
	MOVQ AX, next+128(FP)
	MOVQ BX, outLen+136(FP)
	MOVQ R11, nextSlot+144(FP)
	RET
