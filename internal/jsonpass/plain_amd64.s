#include "go_asm.h"
#include "textflag.h"

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

DATA spaces<>+0(SB)/8, $0x2020202020202020
DATA spaces<>+8(SB)/8, $0x2020202020202020
DATA spaces<>+16(SB)/8, $0x2020202020202020
DATA spaces<>+24(SB)/8, $0x2020202020202020
GLOBL spaces<>(SB), RODATA|NOPTR, $32

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

// func unselectedRun(src []byte, i int, out []byte, known *[256]knownKey, slot int, node *Node, xml bool) (next, outLen, nextSlot int)
//
// The commonest members of unselected's loop, written here with no spill
// to memory: DX is the known key at slot, R8 the value's cursor, R13 a
// scratch register. Each taken member ends with its comma.
TEXT ·unselectedRun(SB), NOSPLIT, $0-112
	MOVQ src_base+0(FP), SI
	MOVQ src_len+8(FP), CX
	MOVQ i+24(FP), AX
	MOVQ out_base+32(FP), DI
	MOVQ out_len+40(FP), BX
	MOVQ out_cap+48(FP), R9
	MOVQ known+56(FP), R10
	MOVQ slot+64(FP), R11
	MOVQ node+72(FP), R12
	VMOVDQU quotes<>(SB), Y4
	VMOVDQU backslashes<>(SB), Y5
	VMOVDQU spaces<>(SB), Y6

member:
	// 32 bytes of src to compare, and room for the null member and comma
	LEAQ 32(AX), R8
	CMPQ R8, CX
	JGT  stop
	MOVQ R9, R8
	SUBQ BX, R8
	CMPQ R8, $48
	JLT  stop
	// DX: the known key at slot, unselected in node, for this output
	MOVQ  R11, DX
	ANDQ  $255, DX
	IMULQ $knownKey__size, DX
	ADDQ  R10, DX
	CMPQ  knownKey_unselectedIn(DX), R12
	JNE   stop
	MOVBQZX knownKey_plain(DX), R8
	CMPB  R8, xml+80(FP)
	JNE   stop
	// the member's start: its n bytes as remembered
	VMOVDQU (SI)(AX*1), Y0
	VPXOR   knownKey_words(DX), Y0, Y0
	VPAND   knownKey_masks(DX), Y0, Y0
	VPTEST  Y0, Y0
	JNZ     stop
	MOVQ knownKey_n(DX), R8
	ADDQ AX, R8
	CMPQ R8, CX
	JGE  stop
	MOVBLZX (SI)(R8*1), R13
	CMPB R13, $0x22
	JEQ  str
	CMPB R13, $0x6e
	JEQ  lnull
	CMPB R13, $0x74
	JEQ  ltrue
	CMPB R13, $0x66
	JEQ  lfalse
	CMPB R13, $0x30
	JEQ  zero
	SUBL $0x31, R13
	CMPL R13, $8
	JBE  number
	JMP  stop

str: // a plain string that ends in whole 32-byte blocks
	INCQ R8
strblock:
	LEAQ 32(R8), R13
	CMPQ R13, CX
	JGT  stop
	VMOVDQU  (SI)(R8*1), Y0
	VPCMPEQB Y0, Y4, Y1
	VPCMPEQB Y0, Y5, Y2
	VPCMPGTB Y0, Y6, Y3
	VPOR     Y1, Y2, Y1
	VPOR     Y1, Y3, Y1
	VPMOVMSKB Y1, R13
	TESTL    R13, R13
	JNZ      strfound
	ADDQ     $32, R8
	JMP      strblock
strfound:
	BSFL R13, R13
	ADDQ R13, R8
	CMPB (SI)(R8*1), $0x22
	JNE  stop
	INCQ R8
	JMP  value

lnull:
	LEAQ 4(R8), R13
	CMPQ R13, CX
	JGT  stop
	CMPL (SI)(R8*1), $0x6c6c756e // "null"
	JNE  stop
	MOVQ R13, R8
	JMP  value

ltrue:
	LEAQ 4(R8), R13
	CMPQ R13, CX
	JGT  stop
	CMPL (SI)(R8*1), $0x65757274 // "true"
	JNE  stop
	MOVQ R13, R8
	JMP  value

lfalse:
	LEAQ 5(R8), R13
	CMPQ R13, CX
	JGT  stop
	CMPL (SI)(R8*1), $0x736c6166 // "fals"
	JNE  stop
	CMPB 4(SI)(R8*1), $0x65 // "e"
	JNE  stop
	MOVQ R13, R8
	JMP  value

zero: // 0, that the comma checked below ends
	INCQ R8
	JMP  value

number: // an integer of at most MaxHeld digits
	INCQ R8
digit:
	CMPQ R8, CX
	JGE  stop
	MOVBLZX (SI)(R8*1), R13
	SUBL $0x30, R13
	CMPL R13, $9
	JA   digitsEnd
	INCQ R8
	JMP  digit
digitsEnd:
	MOVQ R8, R13
	SUBQ AX, R13
	SUBQ knownKey_n(DX), R13
	CMPQ R13, $const_MaxHeld
	JGT  stop

value: // R8: the value's end, where its comma must be
	CMPQ R8, CX
	JGE  stop
	CMPB (SI)(R8*1), $0x2c
	JNE  stop
	// the null member, as six words, then the comma in JSON
	VMOVDQU knownKey_null(DX), Y0
	VMOVDQU Y0, (DI)(BX*1)
	MOVQ knownKey_null+32(DX), R13
	MOVQ R13, 32(DI)(BX*1)
	MOVQ knownKey_null+40(DX), R13
	MOVQ R13, 40(DI)(BX*1)
	ADDQ knownKey_nullLen(DX), BX
	CMPB xml+80(FP), $0
	JNE  taken
	MOVB $0x2c, (DI)(BX*1)
	INCQ BX
taken:
	INCQ R11
	LEAQ 1(R8), AX
	JMP  member

stop:
	VZEROUPPER
	MOVQ AX, next+88(FP)
	MOVQ BX, outLen+96(FP)
	MOVQ R11, nextSlot+104(FP)
	RET
