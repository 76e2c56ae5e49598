import { Banner } from './Banner';
import { SignupJourney } from './SignupJourney';
import { ProductTour } from './ProductTour';

export function App() {
  return (
    <main>
      <header id="app-header">
        <h1>Acme grants</h1>
        <ProductTour />
      </header>
      <Banner />
      <SignupJourney />
    </main>
  );
}
