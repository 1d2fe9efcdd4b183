import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@ledgerline/config';

export const ROLES_KEY = 'ledgerline:roles';
export const PUBLIC_KEY = 'ledgerline:public';

/** The roles that may call a route (`admin` always may). Routes without it are admin-only. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** Opts a route out of API-key auth. Only for routes with their own check (webhook signatures) or none needed. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

export interface Principal {
  role: Role;
  name: string;
}

/** The caller behind the request's API key; recorded as the actor of commands. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<{ principal?: Principal }>().principal,
);
