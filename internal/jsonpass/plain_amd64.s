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

// func plainPrefixAVX2(s []byte) int
//
// Per 32-byte block: a byte is special when it equals '"' or '\\', or
// when, read as a signed byte, it is below 0x20 (a control character, or
// 0x80-0xFF: not ASCII).
TEXT ·plainPrefixAVX2(SB), NOSPLIT, $0-32
	MOVQ s_base+0(FP), SI
	MOVQ s_len+8(FP), CX
	XORQ AX, AX
	CMPQ CX, $32
	JB   done
	VMOVDQU quotes<>(SB), Y4
	VMOVDQU backslashes<>(SB), Y5
	VMOVDQU spaces<>(SB), Y6
	SUBQ $32, CX        // the last block's start

loop:
	VMOVDQU  (SI)(AX*1), Y0
	VPCMPEQB Y0, Y4, Y1
	VPCMPEQB Y0, Y5, Y2
	VPCMPGTB Y0, Y6, Y3 // 0x20 > byte, signed
	VPOR     Y1, Y2, Y1
	VPOR     Y1, Y3, Y1
	VPMOVMSKB Y1, DX
	TESTL    DX, DX
	JNZ      found
	ADDQ     $32, AX
	CMPQ     AX, CX
	JBE      loop
	VZEROUPPER
	JMP      done

found:
	BSFL DX, DX
	ADDQ DX, AX
	VZEROUPPER

done:
	MOVQ AX, ret+24(FP)
	RET
