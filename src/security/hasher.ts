import { hash, verify } from '@node-rs/argon2';

export interface Argon2Params {
  memoryKib: number;
  timeCost: number;
  parallelism: number;
}

/** PIN hashing: argon2id only, at least OWASP's minimum (19 MiB, t=2, p=1). */
export interface PinHasher {
  hash(pin: string): Promise<string>;
  verify(phc: string, pin: string): Promise<boolean>;
}

export function createPinHasher(params: Argon2Params): PinHasher {
  const options = {
    algorithm: 2, // Algorithm.Argon2id (a const enum)
    memoryCost: params.memoryKib,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  };
  return {
    hash: (pin) => hash(pin, options),
    verify: async (phc, pin) => {
      try {
        return await verify(phc, pin);
      } catch {
        return false;
      }
    },
  };
}
