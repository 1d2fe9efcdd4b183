import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { LEDGERLINE_CONFIG, type LedgerlineConfig, type Role } from '@ledgerline/config';
import { type Principal, PUBLIC_KEY, ROLES_KEY } from './access.decorators';

interface KeyEntry {
  digest: Buffer;
  principal: Principal;
}

/**
 * Registered as the global guard: every route needs an API key unless it is marked @Public().
 * Keys are compared as SHA-256 digests with timingSafeEqual, against every configured key without
 * stopping at the first match, so response time says nothing about which key is close.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: KeyEntry[];

  constructor(
    private readonly reflector: Reflector,
    @Inject(LEDGERLINE_CONFIG) config: LedgerlineConfig,
  ) {
    this.keys = config.apiKeys.map((entry) => ({
      digest: digest(entry.key),
      principal: { role: entry.role, name: entry.name },
    }));
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const header = request.headers['authorization'];
    if (!header) throw new UnauthorizedException('Missing API key: send "Authorization: Bearer <key>"');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthorizedException('Malformed Authorization header: expected "Bearer <key>"');

    const principal = this.find(match[1]!);
    if (!principal) throw new UnauthorizedException('Invalid API key');

    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (principal.role !== 'admin' && !allowed.includes(principal.role)) {
      const needed = [...allowed, 'admin'].join(' or ');
      throw new ForbiddenException(
        `This route needs role ${needed}; the key "${principal.name}" has role ${principal.role}`,
      );
    }
    request.principal = principal;
    return true;
  }

  private find(key: string): Principal | null {
    const candidate = digest(key);
    let found: Principal | null = null;
    for (const entry of this.keys) {
      if (timingSafeEqual(candidate, entry.digest)) found = entry.principal;
    }
    return found;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
