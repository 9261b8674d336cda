export { seedDemo, DEMO_LOGIN, type DemoSeed } from './seed-demo.ts';
export { runDemoTrickle, demoTrickleSites, type TrickleSite } from './traffic/demo-trickle.ts';
