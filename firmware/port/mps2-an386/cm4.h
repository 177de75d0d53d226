/* SPDX-License-Identifier: GPL-2.0-only */
/* The few Cortex-M4 system registers and instructions the port uses. */
#ifndef AR_CM4_H
#define AR_CM4_H

#include <stdint.h>

#define AR_REG(addr)		(*(volatile uint32_t *)(addr))

#define AR_SCB_ICSR		AR_REG(0xE000ED04)
#define AR_SCB_VTOR		AR_REG(0xE000ED08)
#define AR_SCB_SHCSR		AR_REG(0xE000ED24)
#define AR_SCB_CFSR		AR_REG(0xE000ED28)
#define AR_SCB_HFSR		AR_REG(0xE000ED2C)
#define AR_SCB_MMFAR		AR_REG(0xE000ED34)
#define AR_SCB_BFAR		AR_REG(0xE000ED38)
#define AR_SHCSR_FAULTS_ENA	(7u << 16)	/* MemManage, Bus, Usage */
#define AR_SHCSR_MEMFAULTENA	(1u << 16)
#define AR_SCB_CCR		AR_REG(0xE000ED14)
#define AR_CCR_DIV_0_TRP	(1u << 4)
#define AR_HFSR_FORCED		(1u << 30)
#define AR_CFSR_MSTKERR		(1u << 4)	/* MemManage on exception entry */

#define AR_MPU_CTRL		AR_REG(0xE000ED94)
#define AR_MPU_RNR		AR_REG(0xE000ED98)
#define AR_MPU_RBAR		AR_REG(0xE000ED9C)
#define AR_MPU_RASR		AR_REG(0xE000EDA0)
#define AR_MPU_CTRL_ENABLE	(1u << 0)
#define AR_MPU_CTRL_PRIVDEFENA	(1u << 2)	/* default map under regions */
#define AR_MPU_RASR_ENABLE	(1u << 0)
#define AR_MPU_RASR_SIZE(log2)	(((log2) - 1u) << 1)
#define AR_MPU_RASR_XN		(1u << 28)	/* AP = 0: no access at all */

#define AR_NVIC_ISER(n)		AR_REG(0xE000E100 + 4 * (n))
#define AR_NVIC_ICPR(n)		AR_REG(0xE000E280 + 4 * (n))

#define AR_SYST_CSR		AR_REG(0xE000E010)
#define AR_SYST_RVR		AR_REG(0xE000E014)
#define AR_SYST_CVR		AR_REG(0xE000E018)
#define AR_SYST_CSR_ENABLE	(1u << 0)
#define AR_SYST_CSR_TICKINT	(1u << 1)
#define AR_SYST_CSR_CPUCLK	(1u << 2)

#define AR_NUM_SYS_VECTORS	16
#define AR_NUM_IRQS		32	/* external interrupts of mps2-an386 */

static inline void ar_dmb(void)
{
	__asm__ volatile("dmb" ::: "memory");
}

static inline void ar_dsb_isb(void)
{
	__asm__ volatile("dsb\n\tisb" ::: "memory");
}

static inline void ar_irq_disable(void)
{
	__asm__ volatile("cpsid i" ::: "memory");
}

static inline void ar_irq_enable(void)
{
	/* isb: a pending interrupt is taken right here, not some way on. */
	__asm__ volatile("cpsie i\n\tisb" ::: "memory");
}

static inline uint32_t ar_primask(void)
{
	uint32_t v;

	__asm__ volatile("mrs %0, primask" : "=r"(v));
	return v;
}

static inline void ar_nvic_enable(unsigned int irq)
{
	AR_NVIC_ICPR(irq / 32) = 1u << (irq % 32);
	AR_NVIC_ISER(irq / 32) = 1u << (irq % 32);
}

#endif /* AR_CM4_H */
