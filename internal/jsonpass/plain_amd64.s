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
