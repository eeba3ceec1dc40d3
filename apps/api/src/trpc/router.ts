import { router } from './init.ts';
import { apiKeyRouter } from './routers/api-key/api-key.router.ts';
import { authRouter } from './routers/auth/auth.router.ts';
import { challengeRouter } from './routers/challenge/challenge.router.ts';
import { liveRouter } from './routers/live/live.router.ts';
import { loadtestRouter } from './routers/loadtest/loadtest.router.ts';
import { meRouter } from './routers/me/me.router.ts';
import { playerRouter } from './routers/player/player.router.ts';
import { profileRouter } from './routers/profile/profile.router.ts';
import { rewardRouter } from './routers/reward/reward.router.ts';
import { userRouter } from './routers/user/user.router.ts';
import { webhookRouter } from './routers/webhook/webhook.router.ts';

/** Everything the dashboard (and tRPC game clients, through `me`) can call. */
export const appRouter = router({
  auth: authRouter,
  user: userRouter,
  apiKey: apiKeyRouter,
  player: playerRouter,
  me: meRouter,
  challenge: challengeRouter,
  live: liveRouter,
  profile: profileRouter,
  reward: rewardRouter,
  loadtest: loadtestRouter,
  webhook: webhookRouter,
});

export type AppRouter = typeof appRouter;
