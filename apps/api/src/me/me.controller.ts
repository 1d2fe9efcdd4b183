import { Controller, Get } from '@nestjs/common';
import { CurrentPrincipal, type Principal, Roles } from '@ledgerline/auth';

@Controller('me')
export class MeController {
  /** Who the presented key belongs to: lets clients (the console) show only what the role may do. */
  @Roles('support', 'finance', 'consumer')
  @Get()
  whoAmI(@CurrentPrincipal() principal: Principal) {
    return principal;
  }
}
